/**
 * RESULTS.md: machine, Node version, date and command, then per group the medians, the ratios engine / baseline
 * and the result checks, the word count's peak RSS, and each target of issue 5 with the measured figure; then the
 * sections of the replaced report that this run did not write (side-by-side studies, groups left out by `--only`),
 * unchanged.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';

import { medianCpuMs, medianMs, percentileMs, taskError, type BenchGroup } from './bench-group.js';
import { EMPTY_TASKS, GROUP_BY, WORD_COUNT } from './macro.js';
import type { PeakRss } from './peak-rss.js';
import type { BenchProfile } from './profiles.js';

/** Everything a report is made of. */
export interface RunResults {
  readonly profile: BenchProfile;
  readonly command: string;
  readonly startedAt: Date;
  readonly loadAtStart: readonly number[];
  readonly corpusNote: string;
  readonly groups: readonly BenchGroup[];
  readonly peakRss: readonly PeakRss[];
  /** The report this run replaces (its medians and peak RSS become the "previous" columns), or null. */
  readonly previous?: string | null;
  /** Name of the micro round-trip task whose latency is the 1-task job target. */
  readonly roundTrip: { readonly group: string; readonly task: string } | null;
}

const MIB = 1024 ** 2;

/**
 * The report as Markdown.
 *
 * @example
 * writeFileSync('native-bench/RESULTS.md', renderReport(results));
 */
export function renderReport(r: RunResults): string {
  const out: string[] = [];
  const { medians: previous, peakRss: previousRss } = previousFigures(r.previous ?? '');
  const cpu = cpus();
  out.push(`# native-bench results (${r.profile.name} run)`, '');
  out.push(
    `- machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB memory (${(freemem() / 1024 ** 3).toFixed(1)} GiB free at the end)`,
  );
  out.push(`- Node ${process.version}, ${process.platform} ${process.arch}`);
  out.push(
    `- date: ${r.startedAt.toISOString()}, took ${((Date.now() - r.startedAt.getTime()) / 60000).toFixed(1)} min`,
  );
  out.push(`- command: \`${r.command}\``);
  out.push(
    `- load average at start ${fmtLoad(r.loadAtStart)}, at end ${fmtLoad(loadavg())} (other work shares the machine: compare the ratios, measured side by side, more than absolute times)`,
  );
  out.push(`- corpus: ${r.corpusNote}`);
  out.push(
    '',
    'Times are tinybench medians (p50 of the samples). Ratio = engine median / baseline median: below 1 the engine is faster.',
    '',
  );

  for (const group of r.groups) {
    out.push(`## ${group.title}`, '', group.description, '');
    const cpu = group.cpuMs !== undefined;
    out.push(
      `| task | median | previous | p75 | samples |${cpu ? ' CPU time (all threads, median) |' : ''}`,
      `|---|---:|---:|---:|---:|${cpu ? '---:|' : ''}`,
    );
    for (const task of group.bench.tasks) {
      const error = taskError(group.bench, task.name);
      const before = previous.get(task.name) ?? '—';
      if (error !== null) {
        out.push(
          `| ${task.name} | FAILED: ${error.replaceAll('|', '\\|').slice(0, 200)} | ${before} | | |${cpu ? ' |' : ''}`,
        );
        continue;
      }
      const cpuCell = cpu ? ` ${fmtMs(medianCpuMs(group, task.name))} |` : '';
      out.push(
        `| ${task.name} | ${fmtMs(medianMs(group.bench, task.name))} | ${before} | ${fmtMs(percentileMs(group.bench, task.name, 'p75'))} | ${task.result?.latency?.samples.length ?? 0} |${cpuCell}`,
      );
    }
    if (group.pairs.length > 0) {
      out.push(
        '',
        `| engine | baseline | ratio |${cpu ? ' CPU-time ratio |' : ''}`,
        `|---|---|---:|${cpu ? '---:|' : ''}`,
      );
      for (const pair of group.pairs) {
        const cpuCell = cpu ? ` ${fmtRatio(cpuRatio(group, pair.engine, pair.baseline))} |` : '';
        out.push(
          `| ${pair.engine} | ${pair.baseline} | ${fmtRatio(ratio(group, pair.engine, pair.baseline))} |${cpuCell}`,
        );
      }
    }
    if (group.checks.length > 0) {
      out.push('', ...group.checks.map((c) => `- ${c.ok ? 'ok' : '**CHECK FAILED**'}: ${c.what}`));
    }
    out.push('');
  }

  if (r.peakRss.length > 0) {
    out.push(
      '## word count: peak RSS',
      '',
      `Each run in a child process of its own (source: ${r.peakRss[0]!.source}), worker threads and shared memory included.`,
      '',
    );
    out.push(
      '| engine | threads | wall | peak RSS | previous peak RSS | distinct words |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const p of r.peakRss)
      out.push(
        `| ${p.engine} | ${p.threads} | ${fmtMs(p.wallMs)} | ${(p.peakRssBytes / MIB).toFixed(0)} MiB | ${previousRss.get(`${p.engine}/${p.threads}`) ?? '—'} | ${p.distinct} |`,
      );
    out.push('');
  }

  out.push('## targets (issue 5)', '', '| target | measured | met |', '|---|---|---|');
  // A quick run's sizes are not the targets': its verdicts only show that the suite works.
  const quick = r.profile.name === 'quick' ? ' (quick sizes: not a verdict)' : '';
  for (const t of targets(r)) out.push(`| ${t.target} | ${t.measured} | ${t.met}${quick} |`);
  out.push('');
  // Sections this run did not write (side-by-side studies written by other scripts or by hand, groups left out by
  // `--only`) stay as they were: a rerun must not erase figures it did not measure.
  const written = new Set(out.filter((line) => line.startsWith('## ')));
  for (const section of sectionsOf(r.previous ?? '')) {
    if (!written.has(section.heading)) out.push(...section.lines);
  }
  return out.join('\n');
}

/** The `## ` sections of a report, each with its heading line and every line up to the next heading. */
export function sectionsOf(text: string): { heading: string; lines: string[] }[] {
  const sections: { heading: string; lines: string[] }[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) sections.push({ heading: line, lines: [line] });
    else sections.at(-1)?.lines.push(line);
  }
  return sections;
}

interface TargetRow {
  readonly target: string;
  readonly measured: string;
  readonly met: string;
}

function targets(r: RunResults): TargetRow[] {
  const group = (title: string) => r.groups.find((g) => g.title === title);
  const wc = group('word count');
  const gb = group('group-by');
  const tasks = group('empty tasks');
  const rows: TargetRow[] = [];
  const verdict = (value: number | null, ok: (v: number) => boolean): string =>
    value === null ? 'not measured' : ok(value) ? 'yes' : '**no**';
  const size =
    r.profile.name === 'full'
      ? ''
      : ` (quick run: ${(r.profile.corpus.bytes / MIB).toFixed(0)} MiB, not the target's size)`;

  const wcRatio = wc ? ratio(wc, WORD_COUNT.columnar2, WORD_COUNT.native) : null;
  rows.push({
    target: `word count 1 GiB, columnar, 2 threads: wall ≤ 0.5× native 1-thread baseline${size}`,
    measured:
      wcRatio === null
        ? 'columnar path did not run'
        : `${fmtRatio(wcRatio)} (${fmtMs(wc ? medianMs(wc.bench, WORD_COUNT.columnar2) : null)} vs ${fmtMs(wc ? medianMs(wc.bench, WORD_COUNT.native) : null)})`,
    met: verdict(wcRatio, (v) => v <= 0.5),
  });
  const rss = r.peakRss.find((p) => p.engine === 'columnar' && p.threads === 2);
  rows.push({
    target: `word count, columnar, 2 threads: peak RSS ≤ 200 MiB${size}`,
    measured: rss ? `${(rss.peakRssBytes / MIB).toFixed(0)} MiB` : 'not measured',
    met: verdict(rss ? rss.peakRssBytes : null, (v) => v <= 200 * MIB),
  });
  for (const [label, one, two] of [
    ['word count, columnar', WORD_COUNT.columnar1, WORD_COUNT.columnar2],
    ['word count, RDD', WORD_COUNT.rdd1, WORD_COUNT.rdd2],
  ] as const) {
    const speedup = wc ? ratio(wc, one, two) : null;
    rows.push({
      target: `2 threads vs 1 thread, ${label}: ≥ 1.85× faster`,
      measured: speedup === null ? 'not measured' : `${speedup.toFixed(2)}×`,
      met: verdict(speedup, (v) => v >= 1.85),
    });
  }
  const gbSpeedup = gb ? ratio(gb, GROUP_BY.engine1, GROUP_BY.engine2) : null;
  rows.push({
    target: '2 threads vs 1 thread, group-by: ≥ 1.85× faster',
    measured: gbSpeedup === null ? 'not measured' : `${gbSpeedup.toFixed(2)}×`,
    met: verdict(gbSpeedup, (v) => v >= 1.85),
  });
  const gbSize =
    r.profile.name === 'full' ? '' : ` (quick run: ${r.profile.groupByTable.rows.toLocaleString('en')} rows)`;
  const gbMs = gb ? medianMs(gb.bench, GROUP_BY.engine2) : null;
  rows.push({
    target: `group-by 20M rows × 100k keys, 2 threads: ≤ 250 ms${gbSize}`,
    measured: fmtMs(gbMs),
    met: verdict(gbMs, (v) => v <= 250),
  });
  const gbRatio = gb ? ratio(gb, GROUP_BY.engine2, GROUP_BY.native) : null;
  rows.push({
    target: `group-by, 2 threads: ≤ 0.7× native 1-thread hash baseline${gbSize}`,
    measured: `${fmtRatio(gbRatio)} (native ${fmtMs(gb ? medianMs(gb.bench, GROUP_BY.native) : null)})`,
    met: verdict(gbRatio, (v) => v <= 0.7),
  });
  const taskMs = tasks ? medianMs(tasks.bench, EMPTY_TASKS) : null;
  const perSecond = taskMs === null ? null : r.profile.emptyTasks / (taskMs / 1000);
  rows.push({
    target: `≥ 5,000 empty tasks per second (${r.profile.emptyTasks.toLocaleString('en')} tasks)`,
    measured: perSecond === null ? 'not measured' : `${Math.round(perSecond).toLocaleString('en')} tasks/s`,
    met: verdict(perSecond, (v) => v >= 5000),
  });
  const rt = r.roundTrip ? r.groups.find((g) => g.title === r.roundTrip!.group) : undefined;
  const rtMs = rt && r.roundTrip ? medianMs(rt.bench, r.roundTrip.task) : null;
  const rtP99 = rt && r.roundTrip ? percentileMs(rt.bench, r.roundTrip.task, 'p99') : null;
  rows.push({
    target: 'a 1-task job completes in ≤ 2 ms on a warm pool',
    measured: `median ${fmtMs(rtMs)}, p99 ${fmtMs(rtP99)}`,
    met: verdict(rtMs, (v) => v <= 2),
  });
  rows.push({
    target:
      'out of core: 4 GiB word count with memoryBytesMax 256 MiB, peak RSS ≤ 600 MiB; sortByKey / groupBy over 2× the budget spill and complete',
    measured: 'measured by `npm run bench:out-of-core`: see native-bench/OUT-OF-CORE.md',
    met: 'see there',
  });
  return rows;
}

function ratio(group: BenchGroup, engine: string, baseline: string): number | null {
  const a = medianMs(group.bench, engine);
  const b = medianMs(group.bench, baseline);
  return a === null || b === null || b === 0 ? null : a / b;
}

function cpuRatio(group: BenchGroup, engine: string, baseline: string): number | null {
  const a = medianCpuMs(group, engine);
  const b = medianCpuMs(group, baseline);
  return a === null || b === null || b === 0 ? null : a / b;
}

function fmtMs(ms: number | null): string {
  if (ms === null) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

function fmtRatio(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(2)}×`;
}

function fmtLoad(load: readonly number[]): string {
  return load.map((l) => l.toFixed(1)).join(' / ');
}

/**
 * The medians (by task name) and peak RSS figures (by `engine/threads`) of an earlier report, so a regression shows
 * in one table. Reads the first two cells of task rows (`| task | median | …`) and the peak RSS table's rows.
 */
export function previousFigures(text: string): { medians: Map<string, string>; peakRss: Map<string, string> } {
  const medians = new Map<string, string>();
  const peakRss = new Map<string, string>();
  let inPeakRss = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) inPeakRss = line.includes('peak RSS');
    if (!line.startsWith('| ') || line.startsWith('|---')) continue;
    const cells = line.split('|').map((cell) => cell.trim());
    if (inPeakRss) {
      const rss = cells.find((cell) => cell.endsWith(' MiB'));
      if (rss !== undefined && cells[1] !== 'engine') peakRss.set(`${cells[1]}/${cells[2]}`, rss);
    } else if (cells[1] !== undefined && cells[2] !== undefined && /^[\d.,]+ (s|ms)$/.test(cells[2])) {
      if (!medians.has(cells[1])) medians.set(cells[1], cells[2]);
    }
  }
  return { medians, peakRss };
}
