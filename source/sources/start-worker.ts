import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on the module `name` (without extension) beside `callerUrl`, from built JavaScript
 * or, under tsx (tests, development), from TypeScript: tsx's loader hooks do not follow a worker in Node 20,
 * so the worker registers them itself before it imports its module.
 */
export function startModuleWorker(callerUrl: string, name: string, workerData: unknown): Worker {
	if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
	const url = new URL(`./${name}.ts`, callerUrl).href;
	const bootstrap = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); });`;
	return new Worker(bootstrap, { eval: true, workerData });
}
