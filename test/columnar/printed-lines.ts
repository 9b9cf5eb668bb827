/** What `run` prints with `console.log` (as `show()` and `printSchema()` do), lines joined by `\n`. */
export async function printedLines(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(' '));
  try {
    await run();
  } finally {
    console.log = original;
  }
  return lines.join('\n');
}
