import type { Context } from '../../src/index.js';

/** The signals that end a run early, with the exit status a shell reports for them (128 + the signal's number). */
export const INTERRUPT_EXIT_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;

/** A signal that interrupts a run. */
export type InterruptSignal = keyof typeof INTERRUPT_EXIT_STATUS;

/** What {@link stopOnSignals} returns. */
export interface SignalWatch {
  /** After the first signal: resolves with the exit status (130, 143) once the Context has stopped; else null. */
  readonly interrupted: Promise<number> | null;
  /** Stops listening (the run ended); a signal after it has Node's default effect. */
  release(): void;
}

/**
 * Until `release()`, SIGINT (Ctrl-C) and SIGTERM stop `kc`: its running jobs are aborted, their staging folders and
 * spill files removed, and `interrupted` resolves with the exit status to end with. Without this, the default
 * action kills the process at once and leaves a hidden `.<out>.kindling-staging-…` folder beside the output (issue
 * 14). A second signal while stopping exits at once with that status: a user who presses Ctrl-C twice means it.
 *
 * @example
 * const signals = stopOnSignals(kc, (signal) => process.stderr.write(`${signal}: stopping\n`));
 * try { await job(); } finally { signals.release(); }
 * if (signals.interrupted !== null) process.exitCode = await signals.interrupted;
 */
export function stopOnSignals(kc: Context, onSignal: (signal: InterruptSignal) => void): SignalWatch {
  let interrupted: Promise<number> | null = null;
  const handlers = new Map<InterruptSignal, () => void>();
  for (const signal of Object.keys(INTERRUPT_EXIT_STATUS) as InterruptSignal[]) {
    const status = INTERRUPT_EXIT_STATUS[signal];
    const handler = () => {
      if (interrupted !== null) process.exit(status);
      onSignal(signal);
      interrupted = kc.stop().then(
        () => status,
        () => status,
      );
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return {
    get interrupted() {
      return interrupted;
    },
    release() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      handlers.clear();
    },
  };
}
