/** Sizes as people type them for `--fit`: `10240`, `10k`, `10KB`, `1.5k`, `1m`; k and m are 1,024 and 1,048,576. */
export type SizeResult = { ok: true; bytes: number } | { ok: false; message: string };

const SIZE = /^(\d+(?:\.\d+)?)\s*(k|m|kb|mb|kib|mib|b)?$/i;

/** Parses a size of at least one byte, rounded up to whole bytes; `what` names the flag in the message. */
export function parseSize(text: string, what: string): SizeResult {
	const match = SIZE.exec(text.trim());
	const number = match?.[1];
	const invalid = { ok: false as const, message: `${what} "${text}" is not a size; write it like 10240, 10k or 1m` };
	if (!match || number === undefined) return invalid;
	const unit = (match[2] ?? 'b').toLowerCase();
	const scale = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
	const bytes = Math.ceil(Number(number) * scale);
	if (!Number.isSafeInteger(bytes)) return invalid;
	if (bytes < 1) return { ok: false, message: `${what} ${text}: an allocation is at least 1 byte` };
	return { ok: true, bytes };
}
