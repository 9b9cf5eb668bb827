import { formatBytes } from './html.js';

/** Redraws per second at most: more is flicker a person cannot read, and costs terminal writes. */
const REDRAW_INTERVAL_MS = 100;
/** Width of the bar between `:` and `(` at most, in characters. */
const BAR_WIDTH_MAX = 40;

/** The terminal a progress bar draws on (a TTY `process.stderr`). */
export interface ProgressTerminal {
  write(text: string): unknown;
  readonly columns?: number | undefined;
}

/** The state of one stage, as `kc.onStageProgress` reports it. */
export interface StageProgressView {
  readonly stageId: number;
  readonly total: number;
  readonly done: number;
  readonly running: number;
}

/**
 * Spark's console progress bar on one terminal line: `[Stage 3:=====>     (12 + 2) / 32] 1.5 MiB read, 3.4 s`,
 * meaning 12 tasks done, 2 running, 32 in all. Feed it stage progress with {@link ConsoleProgressBar.update} and
 * input bytes with {@link ConsoleProgressBar.addBytesRead}; it redraws on a timer (at most 10 times a second, so a
 * job of thousands of tiny tasks does not flood the terminal), keeps the elapsed time moving while long tasks
 * run, and fits the terminal width. `stop()` erases the line, so results print on a clean terminal. The Context
 * draws one when `progress` is on (by default when stderr is a TTY); the word-count CLI uses the same.
 *
 * @example
 * const bar = new ConsoleProgressBar(process.stderr);
 * const off = kc.onStageProgress((p) => bar.update(p));
 * try { await job(); } finally { off(); bar.stop(); }
 */
export class ConsoleProgressBar {
  private readonly terminal: ProgressTerminal;
  private readonly nowMs: () => number;
  private readonly startedMs: number;
  private latest: StageProgressView | null = null;
  private bytesRead = 0;
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

  /** Records the newest state of a stage; it is drawn at the next tick. A finished stage is erased now. */
  update(progress: StageProgressView): void {
    const finished = progress.done >= progress.total && progress.running === 0;
    this.latest = finished ? null : progress;
    // Cleared at once, not at the next tick: the caller may print its results right after the action.
    if (finished) this.erase();
  }

  /** Adds input bytes of a finished task. */
  addBytesRead(bytes: number): void {
    this.bytesRead += bytes;
  }

  /** Erases the line and stops redrawing. Idempotent. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.erase();
  }

  /** The text for the current state, or '' when no stage is running. */
  render(): string {
    const p = this.latest;
    if (p === null) return '';
    const seconds = ((this.nowMs() - this.startedMs) / 1000).toFixed(1);
    const head = `[Stage ${p.stageId}:`;
    const tail = ` (${p.done} + ${p.running}) / ${p.total}]`;
    const after = ` ${formatBytes(this.bytesRead)} read, ${seconds} s`;
    // Wider than the terminal would wrap, and `\r` would then redraw only the last row.
    // (A pseudo-terminal without a size reports 0 columns.)
    const columns = this.terminal.columns ?? 0;
    const width = (columns > 0 ? columns : 80) - 1;
    const barWidth = Math.min(BAR_WIDTH_MAX, width - head.length - tail.length - after.length);
    if (barWidth < 5) return `${head}${tail}`.slice(0, width);
    const filled = Math.min(barWidth, Math.floor((barWidth * p.done) / Math.max(1, p.total)));
    const bar = filled === 0 ? ' '.repeat(barWidth) : `${'='.repeat(filled - 1)}>${' '.repeat(barWidth - filled)}`;
    return `${head}${bar}${tail}${after}`;
  }

  private draw(): void {
    const text = this.render();
    if (text === this.shown) return;
    if (text === '') return this.erase();
    this.terminal.write(`\r${text}\x1b[K`);
    this.shown = text;
  }

  private erase(): void {
    if (this.shown !== '') this.terminal.write('\r\x1b[2K');
    this.shown = '';
  }
}
