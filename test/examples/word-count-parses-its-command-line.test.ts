// The command line of kindling-wordcount: defaults, and one clear line for each kind of mistake.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseWordCountArguments, UsageError } from '../../examples/word-count/parse-arguments.js';

const parse = (...argv: string[]) => parseWordCountArguments(argv, { threads: 3 });

test('defaults: top 20 without --out, no top with it; machine threads; engine partitions', () => {
  assert.deepEqual(parse('a.txt', 'b/'), {
    paths: ['a.txt', 'b/'],
    top: 20,
    truncate: null,
    out: null,
    format: 'tsv',
    overwrite: false,
    threads: 3,
    partitions: undefined,
    lower: false,
    minLength: 1,
    engine: 'columnar',
    quiet: false,
    help: false,
  });
  assert.equal(parse('--out', 'o').top, null);
  assert.equal(parse('--out', 'o', '--top', '5').top, 5);
  const all = parse('--top=0', '--threads', '0', '--partitions', '64', '--lower', '--min-length', '4', '--quiet', 'x');
  assert.deepEqual(
    [all.top, all.threads, all.partitions, all.lower, all.minLength, all.quiet],
    [0, 0, 64, true, 4, true],
  );
  assert.equal(parse('--out', 'o', '--format', 'json', '--overwrite').format, 'json');
  assert.equal(parse('--engine', 'rdd').engine, 'rdd');
  assert.equal(parse('--engine', 'columnar').engine, 'columnar');
  assert.throws(() => parse('--engine', 'duckdb'), /^UsageError: --engine expects columnar or rdd, found 'duckdb'$/);
});

test('mistakes throw UsageError with one line naming the option', () => {
  const cases: [string[], RegExp][] = [
    [['--nope'], /^unknown option '--nope' \(see --help\)$/],
    [['-x'], /^unknown option '-x'/],
    [['--thredas', '2'], /^unknown option '--thredas': did you mean '--threads'\? \(see --help\)$/],
    [['--min-lenght=3'], /^unknown option '--min-lenght': did you mean '--min-length'\? \(see --help\)$/],
    [['--top', 'abc'], /^--top expects a non-negative integer, found 'abc'$/],
    [['--top', '1e3'], /found '1e3'/],
    [['--top', '-5'], /--top/],
    [['--min-length', ''], /--min-length expects a non-negative integer/],
    [['--threads', '99999999999'], /--threads/],
    [['--partitions', '0'], /^--partitions expects an integer >= 1, found '0'$/],
    [['--lower=yes'], /^--lower takes no value$/],
    [['--out'], /^--out expects a value/],
    [['--out', ''], /^--out expects a directory path/],
    [['--format', 'csv', '--out', 'o'], /^--format expects tsv or json, found 'csv'$/],
    [['--overwrite'], /^--overwrite applies to --out/],
    [['--out', 'o', '--truncate', '10'], /^--truncate applies to the table --top N prints/],
    [['--truncate', '-1'], /^--truncate expects a non-negative integer, found '-1'$/],
    [[''], /empty string/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parse(...argv),
      (error: unknown) => {
        assert.ok(error instanceof UsageError, `${argv.join(' ')}: ${String(error)}`);
        assert.match(error.message, message, argv.join(' '));
        assert.ok(!error.message.includes('\n'));
        return true;
      },
    );
  }
});

test('a negative number after a numeric option says what was expected and what was found', () => {
  const cases: [string[], string][] = [
    [['--top', '-3', 'x'], "--top expects a non-negative integer, found '-3'"],
    [['--threads', '-1', 'x'], "--threads expects a non-negative integer, found '-1'"],
    [['--partitions', '-2', 'x'], "--partitions expects an integer >= 1, found '-2'"],
    [['--min-length', '-1.5', 'x'], "--min-length expects a non-negative integer, found '-1.5'"],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseWordCountArguments(argv, { threads: 2 }),
      (error: unknown) => error instanceof UsageError && error.message === message,
      argv.join(' '),
    );
  }
});
