import type cliProgress from 'cli-progress';
import { createRequire } from 'node:module';
import { wallClock } from '../common/clock.js';
import type { EventBus } from '../events/event-bus.js';
import { bytesReadOf } from '../events/task-facts.js';
import { formatBytes } from './html.js';

/** Redraws per second at most: more is flicker a person cannot read, and costs terminal writes. */
const REDRAWS_PER_SECOND_MAX = 10;
/** The time between two redraws at most, in ms: what the bar's input need be fresher than. */
export const PROGRESS_REDRAW_INTERVAL_MS = 1000 / REDRAWS_PER_SECOND_MAX;
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

/** What the line shows beside the bar: cli-progress's payload. */
interface Payload {
  stageId: number;
  running: number;
  bytesRead: number;
}

/**
 * A cli-progress bar whose redraw timer never keeps the process alive (cli-progress re-arms a plain `setTimeout`
 * after every draw; a program that ends with a stage still shown must still exit).
 */
type UnrefSingleBar = cliProgress.SingleBar;

let unrefSingleBar: (new (options: cliProgress.Options) => UnrefSingleBar) | null = null;

/**
 * The class, defined on first use: cli-progress (CommonJS, ~7 MiB of modules) is required only by a Context that
 * draws a bar, not by every program that imports kindling.
 */
function unrefSingleBarClass(): new (options: cliProgress.Options) => UnrefSingleBar {
  if (unrefSingleBar === null) {
    const { SingleBar } = createRequire(import.meta.url)('cli-progress') as typeof cliProgress;
    unrefSingleBar = class extends SingleBar {
      override render(): void {
        super.render();
        (this as unknown as { timer: NodeJS.Timeout | null }).timer?.unref();
      }
    };
  }
  return unrefSingleBar;
}

/**
 * Spark's console progress bar on one terminal line: `[Stage 3:=====>     (12 + 2) / 32] 1.5 MiB read, 3.4 s`,
 * meaning 12 tasks done, 2 running, 32 in all, the stage's input so far and its time so far. Drawn by cli-progress
 * (redraw timer, at most 10 draws a second so a job of thousands of tiny tasks does not flood the terminal, redraw
 * only on change, cursor and line clearing); the line's layout is ours, as cli-progress's format tokens cannot put
 * the counts inside the brackets or shrink the bar to the terminal's width. The line is erased as soon as the
 * stage completes, so results print on a clean terminal. The Context draws one when `progress` is on (by default
 * when stderr is a TTY); the word-count CLI uses the same.
 *
 * @example
 * const bar = new ConsoleProgressBar(process.stderr);
 * const off = kc.onStageProgress((p) => bar.update(p));
 * try { await job(); } finally { off(); bar.stop(); }
 */
export class ConsoleProgressBar {
  readonly #terminal: ProgressTerminal;
  readonly #bar: UnrefSingleBar;
  #stageId: number | null = null;
  #bytesRead = 0;

  constructor(terminal: ProgressTerminal) {
    this.#terminal = terminal;
    // The caller decided to draw (a TTY, or `progress: true`): cli-progress draws only on a stream that says so.
    const stream = {
      isTTY: true,
      get columns() {
        return terminal.columns;
      },
      write: (text: string) => terminal.write(text),
    } as unknown as NodeJS.WritableStream;
    const UnrefSingleBar = unrefSingleBarClass();
    this.#bar = new UnrefSingleBar({
      stream,
      format: (_options, params, payload: Payload) => this.#line(params, payload),
      fps: REDRAWS_PER_SECOND_MAX,
      clearOnComplete: true,
      hideCursor: false,
      // No terminal mode changes: cli-progress's default turns line wrapping off while a bar shows, and a program
      // killed mid-stage would leave the user's terminal that way. The line is fitted to the width instead.
      linewrap: true,
      gracefulExit: false,
      // Draws come from the timer only: a burst of task ends costs no terminal write.
      synchronousUpdate: false,
    });
  }

  /** Records the newest state of a stage; it is drawn at the next tick. A finished stage is erased now. */
  update(progress: StageProgressView): void {
    const finished = progress.done >= progress.total && progress.running === 0;
    if (this.#bar.isActive && this.#stageId !== progress.stageId) this.#bar.stop();
    if (finished) {
      // Erased at once, not at the next tick: the caller may print its results right after the action.
      if (this.#bar.isActive) this.#bar.stop();
      this.#stageId = null;
      return;
    }
    const payload: Payload = { stageId: progress.stageId, running: progress.running, bytesRead: this.#bytesRead };
    if (!this.#bar.isActive) {
      this.#stageId = progress.stageId;
      this.#bytesRead = 0;
      payload.bytesRead = 0;
      this.#bar.start(progress.total, progress.done, payload);
      return;
    }
    if (this.#bar.getTotal() !== progress.total) this.#bar.setTotal(progress.total);
    this.#bar.update(progress.done, payload);
  }

  /** Adds input bytes of finished tasks of the stage shown. */
  addBytesRead(bytes: number): void {
    if (bytes === 0) return;
    this.#bytesRead += bytes;
    if (this.#bar.isActive) this.#bar.update({ bytesRead: this.#bytesRead });
  }

  /** Erases the line and stops redrawing. Idempotent. */
  stop(): void {
    if (this.#bar.isActive) this.#bar.stop();
    this.#stageId = null;
  }

  /** The line for cli-progress's current values: Spark's layout, fitted to the terminal. */
  #line(params: cliProgress.Params, payload: Payload): string {
    const seconds = (((params.stopTime ?? wallClock.nowMs()) - params.startTime) / 1000).toFixed(1);
    const head = `[Stage ${payload.stageId}:`;
    const tail = ` (${params.value} + ${payload.running}) / ${params.total}]`;
    const after = ` ${formatBytes(payload.bytesRead)} read, ${seconds} s`;
    // Wider than the terminal would wrap, and the redraw would then rewrite only the last row.
    // (A pseudo-terminal without a size reports 0 columns.)
    const columns = this.#terminal.columns ?? 0;
    const width = (columns > 0 ? columns : 80) - 1;
    const barWidth = Math.min(BAR_WIDTH_MAX, width - head.length - tail.length - after.length);
    if (barWidth < 5) return `${head}${tail}`.slice(0, width);
    const filled = Math.min(barWidth, Math.floor(barWidth * params.progress));
    const bar = filled === 0 ? ' '.repeat(barWidth) : `${'='.repeat(filled - 1)}>${' '.repeat(barWidth - filled)}`;
    return `${head}${bar}${tail}${after}`;
  }
}

/**
 * Draws a Context's stages on `bar`: their progress as the scheduler reports it, and the bytes their finished tasks
 * read, taken from `bus`. Successful task ends reach the bus as numbers in batches (events/task-facts.ts), so the bar
 * asks the bus to hand its batch on at most once per redraw interval, from the progress reports, rather than taking an
 * event object per task; other task ends come as events. Returns the function that stops it (and erases the line).
 *
 * @example
 * const stop = drawStageProgress(new ConsoleProgressBar(process.stderr), bus, (l) => kc.onStageProgress(l));
 */
export function drawStageProgress(
  bar: ConsoleProgressBar,
  bus: EventBus,
  onStageProgress: (listener: (progress: StageProgressView) => void) => () => void,
): () => void {
  let factsHandedOnMs = Number.NEGATIVE_INFINITY;
  const stopProgress = onStageProgress((progress) => {
    const nowMs = wallClock.nowMs();
    if (nowMs - factsHandedOnMs >= PROGRESS_REDRAW_INTERVAL_MS) {
      factsHandedOnMs = nowMs;
      bus.flushTaskFacts();
    }
    bar.update(progress);
  });
  const unsubscribe = bus.subscribe(
    (event) => {
      if (event.kind === 'task-end' && event.metrics !== null) bar.addBytesRead(event.metrics.bytesRead);
    },
    (facts) => bar.addBytesRead(bytesReadOf(facts)),
  );
  return () => {
    stopProgress();
    unsubscribe();
    bar.stop();
  };
}
