/**
 * Loads a package that is an ES module only (the MicroPython VM), when it is first needed. Every such import
 * goes through here because the printing build runs as a script, not a module (scripts/print-script.ts): a
 * script's import() needs a loader of its own, which Node 20 loses when the script runs from V8's compiled
 * code, so that build turns every import() into a require and replaces this module with one that asks the
 * start (a module) to import. Its build fails if an ES-module-only package is imported any other way.
 */
export function importPackage<T>(name: string): Promise<T> {
	return import(name) as Promise<T>;
}
