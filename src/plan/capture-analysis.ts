import { parseFunctionSource } from './capture-parse.js';
import { analyzeFunctionScope } from './capture-scope.js';

/**
 * Parse and scope analysis of one function source, cached: the same source text always gives the same answer, and
 * a program defines the same lambda many times (in a loop, per streaming batch), so each text is parsed once.
 */

/** The cached facts about one source text. Offsets are into the source text itself. */
export type SourceAnalysis =
  | {
      readonly kind: 'function';
      /** An expression a worker evaluates to get the function (see `ShippedFunction.source`). */
      readonly expression: string;
      /** Names the function uses but does not declare, each with the offset of its first use, in source order. */
      readonly free: ReadonlyMap<string, number>;
    }
  | { readonly kind: 'unshippable'; readonly reason: string; readonly start?: number };

/** Bound on cached sources; a program with more distinct lambdas than this re-parses the least recently used. */
export const CAPTURE_ANALYSIS_CACHE_ENTRIES_MAX = 1_000;

const cache = new Map<string, SourceAnalysis>();

/** The analysis of `source`, from the cache when this text was seen before. */
export function analyzeSource(source: string): SourceAnalysis {
  const cached = cache.get(source);
  if (cached !== undefined) {
    // Re-insert so Map order is least-recently-used first.
    cache.delete(source);
    cache.set(source, cached);
    return cached;
  }
  const analysis = analyzeUncached(source);
  if (cache.size >= CAPTURE_ANALYSIS_CACHE_ENTRIES_MAX) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(source, analysis);
  return analysis;
}

/** How many sources are cached now (for tests of the bound). */
export function captureAnalysisCacheSize(): number {
  return cache.size;
}

function analyzeUncached(source: string): SourceAnalysis {
  const parsed = parseFunctionSource(source);
  if (parsed.kind === 'unshippable') return parsed;
  const report = analyzeFunctionScope(parsed.node);
  const first = report.unsupported[0];
  if (first !== undefined) {
    const reason =
      first.construct === 'super'
        ? 'it uses `super`, whose home object exists only on the driver'
        : 'it uses `import.meta`, which a worker sees differently; compute the value on the driver and capture it, or put the code in a module and pass kc.fn(url, name)';
    return { kind: 'unshippable', reason, start: first.start - parsed.sourceOffset };
  }
  const free = [...report.free]
    .map(([name, start]) => [name, start - parsed.sourceOffset] as const)
    .sort((a, b) => a[1] - b[1]);
  return { kind: 'function', expression: parsed.expression, free: new Map(free) };
}
