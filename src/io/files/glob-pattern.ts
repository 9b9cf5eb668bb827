import { PlanError } from '../../common/errors.js';

/**
 * Glob patterns as Hadoop's `globStatus` reads them: `*`, `?`, `[abc]`, `[a-z]`, `[!a]` / `[^a]`, `{a,b}` (nested,
 * may span `/`), `**` as a whole segment for any number of directories, and `\` to escape the next character.
 * This file only parses; walking the file system is `expand-paths.ts`.
 */

/** Most alternatives one pattern may expand to through `{…}`: a limit so `{a,b}{a,b}…` cannot explode. */
export const BRACE_ALTERNATIVES_MAX = 4096;

/** One `/`-separated segment of a glob, compiled. */
export type GlobSegment =
  /** No wildcard: the name itself (escapes removed). */
  | { readonly kind: 'literal'; readonly name: string }
  /** `**`: this directory and every visible directory below it. */
  | { readonly kind: 'globstar' }
  /**
   * A wildcard segment. `matchesHidden` is true when the segment itself starts with `.` or `_`; otherwise names
   * starting with those characters are skipped, as Hadoop's hidden-file filter and shells do.
   */
  | { readonly kind: 'pattern'; readonly regex: RegExp; readonly matchesHidden: boolean };

/** True if `pattern` contains glob syntax (`*`, `?`, `[`, `{`) and so is matched rather than taken literally. */
export function hasGlobSyntax(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/**
 * Expands every `{a,b}` group into separate patterns, left to right, nested groups included.
 * An unmatched `{` is literal. Throws `PlanError` past `BRACE_ALTERNATIVES_MAX` alternatives.
 *
 * @example
 * expandBraces('logs/{2024,2025}/*.{txt,log}'); // ['logs/2024/*.txt', 'logs/2024/*.log', 'logs/2025/*.txt', …]
 */
export function expandBraces(pattern: string): string[] {
  const out: string[] = [];
  const pending = [pattern];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    const group = findBraceGroup(current);
    if (group === null) {
      out.push(current);
    } else {
      const head = current.slice(0, group.open);
      const tail = current.slice(group.close + 1);
      // Pushed in reverse so alternatives come out in the order written.
      for (let k = group.alternatives.length - 1; k >= 0; k--) pending.push(head + group.alternatives[k] + tail);
    }
    if (out.length + pending.length > BRACE_ALTERNATIVES_MAX) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `Input pattern '${pattern}' expands to more than ${BRACE_ALTERNATIVES_MAX} alternatives through {…}: ` +
          'expected fewer brace groups',
      );
    }
  }
  return out;
}

/** The first balanced `{…}` group of `text`, split at its top-level commas; escapes and `[…]` are skipped. */
function findBraceGroup(text: string): { open: number; close: number; alternatives: string[] } | null {
  for (let open = 0; open < text.length; open++) {
    const c = text[open];
    if (c === '\\') {
      open++;
      continue;
    }
    if (c !== '{') continue;
    let depth = 0;
    let start = open + 1;
    const alternatives: string[] = [];
    for (let k = open; k < text.length; k++) {
      const d = text[k];
      if (d === '\\') k++;
      else if (d === '{') depth++;
      else if (d === ',' && depth === 1) {
        alternatives.push(text.slice(start, k));
        start = k + 1;
      } else if (d === '}' && --depth === 0) {
        alternatives.push(text.slice(start, k));
        return { open, close: k, alternatives };
      }
    }
    return null; // unbalanced: every later '{' is unbalanced too
  }
  return null;
}

/**
 * Compiles one path segment (no `/`, braces already expanded).
 *
 * @example
 * compileSegment('*.txt');   // { kind: 'pattern', regex: /^.*\.txt$/su, matchesHidden: false }
 * compileSegment('a\\*b');   // { kind: 'literal', name: 'a*b' }
 */
export function compileSegment(segment: string): GlobSegment {
  if (segment === '**') return { kind: 'globstar' };
  let source = '';
  let literal = '';
  let wild = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '\\' && i + 1 < segment.length) {
      const next = segment[++i] as string;
      source += escapeRegex(next);
      literal += next;
    } else if (c === '*') {
      wild = true;
      while (segment[i + 1] === '*') i++; // '**' inside a longer segment means the same as '*'
      source += '.*';
    } else if (c === '?') {
      wild = true;
      source += '.';
    } else if (c === '[') {
      const parsed = parseBracket(segment, i);
      if (parsed === null) {
        source += '\\[';
        literal += '[';
      } else {
        wild = true;
        source += parsed.source;
        i = parsed.end;
      }
    } else {
      source += escapeRegex(c);
      literal += c;
    }
  }
  if (!wild) return { kind: 'literal', name: literal };
  let regex: RegExp;
  try {
    // 'u' so '?' and ranges see whole code points (an emoji is one character), 's' so names may hold newlines.
    regex = new RegExp(`^${source}$`, 'su');
  } catch (error) {
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `Glob segment '${segment}' is not a valid pattern`, {
      cause: error,
    });
  }
  return { kind: 'pattern', regex, matchesHidden: segment.startsWith('.') || segment.startsWith('_') };
}

/** Parses `[…]` starting at `open`; returns its RegExp class and the index of `]`, or null if it never closes. */
function parseBracket(segment: string, open: number): { source: string; end: number } | null {
  let i = open + 1;
  let negate = false;
  if (segment[i] === '!' || segment[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  for (; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === ']' && !first) return { source: `[${negate ? '^' : ''}${body}]`, end: i };
    first = false;
    if (c === '\\' && i + 1 < segment.length) body += escapeClassChar(segment[++i] as string);
    else if (c === '-') body += '-';
    else body += escapeClassChar(c);
  }
  return null;
}

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function escapeClassChar(c: string): string {
  return /[\\\]^[-]/.test(c) ? `\\${c}` : c;
}
