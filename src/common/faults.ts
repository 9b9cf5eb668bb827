import { optionNames, refuseUnknownOptions } from './check-options.js';
import { OptionsError } from './errors.js';
import { deriveSeed } from './rng.js';

/**
 * Seeded fault injection (DESIGN.md §5): the `faults` option makes chosen or random task attempts fail in a real
 * way, so users (and the chaos suite) can prove a job recovers. The driver decides, deterministically from the seed
 * and the attempt's stage, partition and attempt number, which fault (if any) an attempt gets; the decision ships
 * in the task as a small plain {@link InjectedFault} that the executor obeys.
 */

/**
 * What an injected fault does:
 * - `throw`: the task throws an `Error` (counted against `taskAttemptsMax`, like an exception in user code);
 * - `crash`: the worker thread dies (`process.exit(1)`, or an uncaught exception from a timer with `crash: 'uncaught'`);
 * - `hang`: the task blocks without advancing its progress counter, until `taskTimeoutMs` ends it;
 * - `oom`: the task allocates until the worker's heap limit (`workerHeapMbMax`, which must be set) kills it;
 * - `lose-block`: after a successful shuffle map task, one of its non-empty output blocks is dropped;
 * - `corrupt-block`: after a successful shuffle map task, one bit of one non-empty output block is flipped, so the
 *   reader's checksum check fails.
 * Block faults only apply to shuffle map tasks; on other tasks a matching block rule injects nothing.
 */
export type FaultKind = 'throw' | 'crash' | 'hang' | 'oom' | 'lose-block' | 'corrupt-block';

/** Every fault kind, in a stable order (for metrics). */
export const FAULT_KINDS: readonly FaultKind[] = ['throw', 'crash', 'hang', 'oom', 'lose-block', 'corrupt-block'];

/** One rule: which attempts it applies to, and with what probability. Unset filters match everything. */
export interface FaultRule {
  readonly kind: FaultKind;
  /** Only attempts of this stage id (as printed in job errors and metrics). */
  readonly stage?: number;
  readonly partition?: number;
  /** Only this attempt number (0 = first attempt). */
  readonly attempt?: number;
  /**
   * Chance in [0, 1] that a matching attempt gets the fault, drawn from the seed (same attempt, same draw).
   * @default 1
   */
  readonly probability?: number;
  /** How a `crash` kills the thread. @default 'exit' */
  readonly crash?: 'exit' | 'uncaught';
}

/**
 * The `faults` option of a Context (or of `kc.setFaults`). Rules are tried in order; the first whose filters match
 * and whose draw succeeds decides the attempt's fault.
 *
 * @example
 * new Context({ faults: { seed: 7, rules: [{ kind: 'crash', stage: 0, partition: 1, attempt: 0 }] } });
 */
export interface FaultsOption {
  readonly seed: number;
  readonly rules: readonly FaultRule[];
}

/** The fault an attempt must suffer, as shipped in its `TaskDescriptor`. Plain data. */
export interface InjectedFault {
  readonly kind: FaultKind;
  /** For `crash`. */
  readonly crash: 'exit' | 'uncaught';
  /** A seeded number the executor uses to choose a block, a bit … so the same attempt fails the same way. */
  readonly salt: number;
}

/** Where an attempt runs, as far as fault rules care. */
export interface FaultSite {
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  /** Whether the task writes shuffle output (block faults apply only then). */
  readonly writesShuffle: boolean;
}

const KINDS: ReadonlySet<string> = new Set(FAULT_KINDS);
const FAULTS_OPTIONS = optionNames<FaultsOption>({ seed: true, rules: true });
const RULE_OPTIONS = optionNames<FaultRule>({
  kind: true,
  stage: true,
  partition: true,
  attempt: true,
  probability: true,
  crash: true,
});

/** Validates a `faults` option; throws `OptionsError` naming the bad field. Returns a frozen copy. */
export function checkFaults(faults: unknown): FaultsOption {
  if (typeof faults !== 'object' || faults === null) {
    throw new OptionsError(`faults must be an object { seed, rules }, found ${String(faults)}`);
  }
  refuseUnknownOptions('faults', faults, FAULTS_OPTIONS);
  const { seed, rules } = faults as { seed?: unknown; rules?: unknown };
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new OptionsError(`faults.seed must be an integer, found ${JSON.stringify(seed)}`);
  }
  if (!Array.isArray(rules)) throw new OptionsError(`faults.rules must be an array, found ${JSON.stringify(rules)}`);
  const checked = rules.map((rule: unknown, index): FaultRule => {
    const where = `faults.rules[${index}]`;
    if (typeof rule !== 'object' || rule === null) throw new OptionsError(`${where} must be an object`);
    refuseUnknownOptions(where, rule, RULE_OPTIONS);
    const r = rule as Record<string, unknown>;
    if (typeof r['kind'] !== 'string' || !KINDS.has(r['kind'])) {
      throw new OptionsError(
        `${where}.kind must be one of ${FAULT_KINDS.join(', ')}, found ${JSON.stringify(r['kind'])}`,
      );
    }
    for (const field of ['stage', 'partition', 'attempt'] as const) {
      const value = r[field];
      if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) {
        throw new OptionsError(`${where}.${field} must be an integer >= 0, found ${JSON.stringify(value)}`);
      }
    }
    const probability = r['probability'];
    if (probability !== undefined && (typeof probability !== 'number' || !(probability >= 0 && probability <= 1))) {
      throw new OptionsError(`${where}.probability must be a number in [0, 1], found ${JSON.stringify(probability)}`);
    }
    const crash = r['crash'];
    if (crash !== undefined && crash !== 'exit' && crash !== 'uncaught') {
      throw new OptionsError(`${where}.crash must be 'exit' or 'uncaught', found ${JSON.stringify(crash)}`);
    }
    return Object.freeze({ ...(r as unknown as FaultRule) });
  });
  return Object.freeze({ seed, rules: Object.freeze(checked) });
}

/**
 * `faults` unchanged when every `oom` rule can be obeyed: a worker thread (`threads` > 0) exhausts its heap only up
 * to `workerHeapMbMax`; without that limit it would take the machine's memory before V8 stops it (a worker always
 * reports a limit, V8's default, so the thread itself cannot tell). The inline backend keeps its heap and only
 * reports the failure.
 *
 * @example
 * refuseOomWithoutHeapLimit(checkFaults(option), { threads: 2, workerHeapMbMax: 64 });
 */
export function refuseOomWithoutHeapLimit(
  faults: FaultsOption,
  pool: { readonly threads: number; readonly workerHeapMbMax: number },
): FaultsOption {
  if (pool.threads === 0 || pool.workerHeapMbMax > 0) return faults;
  const index = faults.rules.findIndex((rule) => rule.kind === 'oom');
  if (index >= 0) {
    throw new OptionsError(
      `faults.rules[${index}] injects an oom, which needs a heap limit for worker threads: set the Context option ` +
        `workerHeapMbMax (found 0, Node's default, which would let the thread take the machine's memory)`,
    );
  }
  return faults;
}

/**
 * The fault the attempt at `site` gets under `faults`, or null. A pure function of its arguments: the same seed
 * and site always give the same answer, on any machine.
 *
 * @example
 * chooseFault({ seed: 1, rules: [{ kind: 'throw', probability: 0.1 }] }, { stageId: 0, partition: 3, attempt: 0, writesShuffle: false });
 */
export function chooseFault(faults: FaultsOption | null, site: FaultSite): InjectedFault | null {
  if (faults === null) return null;
  for (let index = 0; index < faults.rules.length; index++) {
    const rule = faults.rules[index]!;
    if (rule.stage !== undefined && rule.stage !== site.stageId) continue;
    if (rule.partition !== undefined && rule.partition !== site.partition) continue;
    if (rule.attempt !== undefined && rule.attempt !== site.attempt) continue;
    if ((rule.kind === 'lose-block' || rule.kind === 'corrupt-block') && !site.writesShuffle) continue;
    const draw = drawFor(faults.seed, index, site);
    if (draw / 4294967296 >= (rule.probability ?? 1)) continue;
    return { kind: rule.kind, crash: rule.crash ?? 'exit', salt: deriveSeed(draw, 0x5a17) };
  }
  return null;
}

function drawFor(seed: number, ruleIndex: number, site: FaultSite): number {
  let h = deriveSeed(seed, ruleIndex);
  h = deriveSeed(h, site.stageId);
  h = deriveSeed(h, site.partition);
  return deriveSeed(h, site.attempt);
}

/**
 * The output block a block fault hits: one of the non-empty blocks (by `rowsPerBlock`), chosen by the fault's
 * salt, or null when every block is empty (nothing to lose). The driver and the executor both use it, so they
 * agree on which block was hit.
 */
export function faultBlockIndex(fault: InjectedFault, rowsPerBlock: readonly number[]): number | null {
  const nonEmpty: number[] = [];
  rowsPerBlock.forEach((rows, index) => {
    if (rows > 0) nonEmpty.push(index);
  });
  if (nonEmpty.length === 0) return null;
  return nonEmpty[fault.salt % nonEmpty.length]!;
}
