/**
 * Loads a package that is an ES module only (the MicroPython VM), when it is first needed. Every such import
 * goes through here because the printing build runs as a script, not a module (scripts/print-script.ts): there
 * `import()` cannot be written, and this module is replaced by one that asks the start (a module) to import.
 */
export function importPackage<T>(name: string): Promise<T> {
	return import(name) as Promise<T>;
}
