import type { StageProgress } from '../../src/index.js';

/** Redraws per second at most: more is flicker a person cannot read, and costs terminal writes. */
const REDRAW_INTERVAL_MS = 100;

/** The terminal a progress line draws on (a TTY `process.stderr` in the CLI). */
export interface ProgressTerminal {
  write(text: string): unknown;
  readonly columns?: number | undefined;
}

/**
 * A one-line progress display for a terminal: `stage 2 reduceByKey: 5+2/12 tasks, 3.4 s`, meaning 5 tasks done, 2
 * running, 12 in all. Feed it `kc.onStageProgress` events with {@link ProgressLine.update}; it redraws on a timer
 * (at most 10 times a second, so a job with thousands of tiny tasks does not flood the terminal) and keeps the
 * elapsed time moving while long tasks run. `stop()` erases the line, so the results print on a clean terminal.
 *
 * @example
 * const progress = new ProgressLine(process.stderr);
 * const unsubscribe = kc.onStageProgress((p) => progress.update(p));
 * try { await job(); } finally { unsubscribe(); progress.stop(); }
 */
export class ProgressLine {
  private readonly terminal: ProgressTerminal;
  private readonly nowMs: () => number;
  private readonly startedMs: number;
  private latest: StageProgress | null = null;
  private shown = '';
  private timer: NodeJS.Timeout | null;

  constructor(terminal: ProgressTerminal, nowMs: () => number = () => performance.now()) {
    this.terminal = terminal;
    this.nowMs = nowMs;
    this.startedMs = nowMs();
    this.timer = setInterval(() => this.draw(), REDRAW_INTERVAL_MS);
    // The display must never be what keeps the process alive.
    this.timer.unref();
  }

  /** Records the newest state of a stage; it is drawn at the next tick. */
  update(progress: StageProgress): void {
    this.latest = progress;
  }

  /** Erases the line and stops redrawing. Idempotent. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.shown !== '') this.terminal.write('\r\x1b[2K');
    this.shown = '';
  }

  /** The text for the current state, or '' before the first event. */
  render(): string {
    const p = this.latest;
    if (p === null) return '';
    const seconds = ((this.nowMs() - this.startedMs) / 1000).toFixed(1);
    const text = `stage ${p.stageId} ${p.label}: ${p.done}+${p.running}/${p.total} tasks, ${seconds} s`;
    // Wider than the terminal would wrap, and `\r` would then redraw only the last row.
    // (A pseudo-terminal without a size reports 0 columns.)
    const columns = this.terminal.columns ?? 0;
    const width = (columns > 0 ? columns : 80) - 1;
    return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  }

  private draw(): void {
    const text = this.render();
    if (text === '' || text === this.shown) return;
    this.terminal.write(`\r${text}\x1b[K`);
    this.shown = text;
  }
}
