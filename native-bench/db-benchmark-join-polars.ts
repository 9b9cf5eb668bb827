// db-benchmark's join questions q1–q5 in nodejs-polars (as its polars join script: `x.join(y, on=key, how=…)` after
// renaming y's other columns), loaded and answered like the DuckDB and kindling sides of
// db-benchmark-join-questions.ts, with the same checksum parts. Used when nodejs-polars is installed (see
// db-benchmark-polars.ts); each question runs twice and the second run is the one compared.
import type { JoinTable } from './db-benchmark-join-data.js';
import {
  JOIN_SPECS,
  type JoinCsvFiles,
  type JoinEngineResult,
  type JoinQuestion,
  type JoinTiming,
} from './db-benchmark-join-questions.js';
import { loadPolars, type Polars, type PolarsFrame } from './db-benchmark-polars.js';

/**
 * Loads the four CSV files with their schemas and answers `questions`, each twice.
 *
 * @example
 * const result = await runPolarsJoins(files, ['q1', 'q5']);
 */
export async function runPolarsJoins(
  files: JoinCsvFiles,
  questions: readonly JoinQuestion[],
): Promise<JoinEngineResult> {
  const loaded = await loadPolars();
  if ('missing' in loaded) throw new Error(`nodejs-polars is not installed: ${loaded.missing}`);
  const { pl } = loaded;
  const started = performance.now();
  const tables = {} as Record<JoinTable['name'], PolarsFrame>;
  for (const name of ['x', 'small', 'medium', 'big'] as const) {
    const dtypes: Record<string, unknown> = {};
    for (const c of files[name].table.columns)
      dtypes[c.name] = c.kind === 'id-string' ? pl.Utf8 : c.kind === 'int' ? pl.Int32 : pl.Float64;
    tables[name] = pl.readCSV(files[name].path, { dtypes });
  }
  const loadMs = performance.now() - started;
  const timings: JoinTiming[] = [];
  for (const q of questions) {
    const times: number[] = [];
    let answer: PolarsFrame | null = null;
    for (let run = 0; run < 2; run++) {
      const t = performance.now();
      answer = polarsJoin(pl, tables, q);
      times.push(performance.now() - t);
    }
    timings.push({ question: q, firstMs: times[0]!, secondMs: times[1]!, ...polarsChecksum(answer!, q) });
  }
  return { engine: 'polars', loadMs, timings, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
}

/** Polars' answer to `q`: y's key, its other columns renamed `<y>_<name>`, and v2, joined to x. */
function polarsJoin(pl: Polars, tables: Record<JoinTable['name'], PolarsFrame>, q: JoinQuestion): PolarsFrame {
  const s = JOIN_SPECS[q];
  const y = tables[s.y].select(pl.col(s.key), ...s.others.map((c) => pl.col(c).alias(`${s.y}_${c}`)), pl.col('v2'));
  return tables.x.join(y, { on: s.key, how: s.how });
}

/** Row count and checksum parts of a Polars answer (sums of numbers, non-null counts, UTF-8 bytes of strings). */
function polarsChecksum(frame: PolarsFrame, q: JoinQuestion): { rows: number; checksum: number[] } {
  const checksum = JOIN_SPECS[q].measures.map((m) => {
    const [kind, name] = m.split(':') as [string, string];
    let total = 0;
    for (const value of frame.getColumn(name)) {
      if (value === null) continue;
      if (kind === 'sum') total += Number(value);
      else if (kind === 'count') total++;
      else total += Buffer.byteLength(String(value));
    }
    return total;
  });
  return { rows: frame.height, checksum };
}
