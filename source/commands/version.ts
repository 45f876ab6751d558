import { readFileSync } from 'node:fs';

/**
 * heaptop's name, version and description, from the package.json beside the built command (`dist/cli.cjs`
 * reads `../package.json`, as installed by npm); looked for a level further up too, so a bundle one folder
 * deeper still finds it.
 */
export type PackageFacts = { version: string; description: string };

export function packageFacts(from: string | URL): PackageFacts {
	for (const relative of ['../package.json', '../../package.json', './package.json']) {
		try {
			const json: unknown = JSON.parse(readFileSync(new URL(relative, from), 'utf8'));
			if (typeof json === 'object' && json !== null && 'name' in json && json.name === 'heaptop') {
				const facts = json as { version?: unknown; description?: unknown };
				return {
					version: typeof facts.version === 'string' ? facts.version : 'unknown',
					description: typeof facts.description === 'string' ? facts.description : '',
				};
			}
		} catch {
			// Not there: try the next place.
		}
	}
	return { version: 'unknown', description: '' };
}
