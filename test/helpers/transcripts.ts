import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the real raw REPL byte logs live (qemu firmware, protocol.md §0). */
export const transcriptDir = new URL('../fixtures/transcripts/', import.meta.url).pathname;

/** One `### title` section of a transcript: what the host wrote, what the board answered. */
export type TranscriptStep = { title: string; send: Uint8Array; recv: Uint8Array };

/** Decodes a Python bytes literal (`b'...'` or `b"..."`) as written by the capture logger. */
export function decodePythonBytes(literal: string): Uint8Array {
	const match = /^b(['"])(.*)\1$/s.exec(literal.trim());
	if (!match) throw new Error(`not a bytes literal: ${literal.slice(0, 40)}`);
	const body = match[2] ?? '';
	const out: number[] = [];
	const simple: Record<string, number> = {
		n: 10,
		r: 13,
		t: 9,
		'\\': 92,
		"'": 39,
		'"': 34,
		a: 7,
		b: 8,
		f: 12,
		v: 11,
		'0': 0,
	};
	for (let index = 0; index < body.length; index++) {
		const char = body[index] ?? '';
		if (char !== '\\') {
			out.push(char.charCodeAt(0));
			continue;
		}
		const next = body[++index] ?? '';
		if (next === 'x') {
			out.push(Number.parseInt(body.slice(index + 1, index + 3), 16));
			index += 2;
		} else if (next in simple) {
			out.push(simple[next] ?? 0);
		} else {
			throw new Error(`unknown escape \\${next}`);
		}
	}
	return new Uint8Array(out);
}

/** Reads a transcript file into its steps, in order. */
export function readTranscript(name: string): TranscriptStep[] {
	const text = readFileSync(join(transcriptDir, name), 'latin1');
	const steps: TranscriptStep[] = [];
	for (const section of text.split(/^### /m).slice(1)) {
		const lines = section.split('\n');
		const title = (lines[0] ?? '').trim();
		const send = lines.find((line) => line.startsWith('SEND '));
		const recv = lines.find((line) => line.startsWith('RECV '));
		if (!send || !recv) continue;
		steps.push({ title, send: decodePythonBytes(send.slice(5)), recv: decodePythonBytes(recv.slice(5)) });
	}
	return steps;
}

/** Every transcript file name. */
export function transcriptNames(): string[] {
	return readdirSync(transcriptDir)
		.filter((name) => name.endsWith('.txt'))
		.sort();
}

/** The first step with this title in a transcript; throws when the capture has none. */
export function transcriptStep(name: string, title: string): TranscriptStep {
	const step = readTranscript(name).find((candidate) => candidate.title === title);
	if (!step) throw new Error(`${name} has no step "${title}"`);
	return step;
}
