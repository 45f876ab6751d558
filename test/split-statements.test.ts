import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitStatements } from '../source/measure/split-statements.js';

const script = [
	'import gc',
	'# a comment between statements',
	'buf = bytearray(1000)',
	'',
	'@decorator',
	'def f(x):',
	'    """doc',
	'',
	'still doc"""',
	'    return x',
	'',
	'data = [',
	'    1,',
	'2]',
	'if buf:',
	'    pass',
	'else:',
	'    pass',
	'try:',
	'    f(1)',
	'except ValueError:',
	'    pass',
	'finally:',
	'    pass',
	'total = 1 + \\',
	'    2',
	"text = '''",
	'x = 1',
	"'''",
	"s = 'a # not a comment ('",
	'y = 2',
].join('\n');

test('each top-level statement starts where Python would start it, with its line number', () => {
	const statements = splitStatements(script);
	assert.deepEqual(
		statements.map((statement) => [statement.line, statement.code.split('\n')[0]]),
		[
			[1, 'import gc'],
			[3, 'buf = bytearray(1000)'],
			[5, '@decorator'],
			[12, 'data = ['],
			[15, 'if buf:'],
			[19, 'try:'],
			[25, 'total = 1 + \\'],
			[27, "text = '''"],
			[30, "s = 'a # not a comment ('"],
			[31, 'y = 2'],
		],
	);
});

test('a block keeps its body, its clauses and the blank lines inside it', () => {
	const statements = splitStatements(script);
	const def = statements.find((statement) => statement.line === 5);
	assert.equal(def?.code.split('\n').length, 6);
	const tryBlock = statements.find((statement) => statement.line === 19);
	assert.match(tryBlock?.code ?? '', /finally:\n {4}pass$/);
});

test('the statements put back together run the same code: nothing is lost but comments between them', () => {
	const statements = splitStatements(script);
	const rejoined = statements.map((statement) => statement.code).join('\n');
	const significant = (text: string) =>
		text
			.split('\n')
			.filter((line) => line.trim() !== '' && !line.startsWith('#'))
			.join('\n');
	assert.equal(significant(rejoined), significant(script));
});

test('an empty script has no statements', () => {
	assert.deepEqual(splitStatements('\n# only a comment\n'), []);
});
