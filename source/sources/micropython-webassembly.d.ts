/**
 * The few parts of `@micropython/micropython-webassembly-pyscript` 1.27.0 (which ships no types) that heaptop
 * uses. Only `micropython-vm.ts` imports the package.
 */
declare module '@micropython/micropython-webassembly-pyscript' {
	/** The Emscripten module behind the VM: exported C functions and the string helpers. */
	export type EmscriptenModule = {
		_malloc(bytes: number): number;
		_free(pointer: number): void;
		_mp_sched_keyboard_interrupt(): void;
		lengthBytesUTF8(text: string): number;
	};

	/** A Python object seen from JavaScript: attributes and calls go through the VM. */
	export type PyProxyObject = { readonly [name: string]: unknown };

	/** What `loadMicroPython` resolves to. */
	export type MicroPythonInstance = {
		_module: EmscriptenModule;
		/** `__main__`'s globals; `__dict__` is a proxy made at load time. */
		globals: { __dict__: unknown; get(name: string): unknown };
		pyimport(name: string): PyProxyObject;
		runPython(code: string): unknown;
		replInit(): void;
		replProcessChar(byte: number): number;
	};

	/** Thrown by `runPython` and by proxy calls when Python raised. */
	export type PythonErrorLike = Error & { name: 'PythonError'; type: string };

	export function loadMicroPython(options: {
		heapsize?: number;
		pystack?: number;
		url?: string;
		linebuffer?: boolean;
		stdout?: (data: Uint8Array) => void;
		stderr?: (data: Uint8Array) => void;
	}): Promise<MicroPythonInstance>;
}
