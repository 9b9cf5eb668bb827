/**
 * How a word shows in the printed top table: how much of a long one (`--truncate N`), as Spark's `show()` cuts its
 * cells (a word of one 80 MB line would otherwise fill the terminal), and, on a terminal, its control characters as
 * escapes. Only the table printed on stdout is changed; `--out` files always hold whole words as they are.
 */
import { escapeControlCharacters } from '../../src/common/terminal-text.js';

/** Characters (Unicode code points) of a word the table shows on a terminal when `--truncate` is not given. */
export const WORD_CHARS_SHOWN_ON_TERMINAL = 40;

/**
 * The `N` of `--truncate N` in effect: the option when given (0: whole words), else
 * {@link WORD_CHARS_SHOWN_ON_TERMINAL} when stdout is a terminal and 0 when it is not. Why not always cut: the
 * table on stdout is `word<TAB>count` lines that scripts read (`kindling-wordcount | sort`, `> top.tsv`), and a cut
 * word there would be a different word, silently; flooding is a terminal's problem, so only a terminal gets the cut
 * by default (as `ls` prints columns only to a terminal). A reader who wants the cut anyway passes `--truncate N`.
 *
 * @example
 * wordCharsShown(null, process.stdout.isTTY === true); // 40 on a terminal, 0 in a pipe
 */
export function wordCharsShown(truncate: number | null, stdoutIsTerminal: boolean): number {
  if (truncate !== null) return truncate;
  return stdoutIsTerminal ? WORD_CHARS_SHOWN_ON_TERMINAL : 0;
}

/**
 * `word` as the table shows it: whole when it has at most `charsMax` characters (Unicode code points, as
 * `--min-length` counts them) or when `charsMax` is 0; else its first `charsMax` characters, then `… (L characters)`
 * with its whole length L. Never cut inside a character: a surrogate pair stays whole. The marker holds a space,
 * which no word holds (a word is a run of non-whitespace), so a cut word is told apart from a word that ends in `…`.
 *
 * @example
 * cutWord('internationalization', 5); // 'inter… (20 characters)'
 * cutWord('😀😀😀', 2); // '😀😀… (3 characters)'
 */
export function cutWord(word: string, charsMax: number): string {
  // Code points lie between length / 2 and length: most words need no count at all.
  if (charsMax === 0 || word.length <= charsMax) return word;
  let end = 0;
  for (let chars = 0; chars < charsMax && end < word.length; chars++) end += isPairAt(word, end) ? 2 : 1;
  if (end === word.length) return word;
  return `${word.slice(0, end)}… (${codePointsOf(word)} characters)`;
}

/**
 * `word` as the printed table shows it: cut by {@link cutWord}, and on a terminal with its control characters shown
 * as escapes (`\x1b`, `\u202e`). A word is a run of non-whitespace, so it may hold ESC, BEL or a bidirectional
 * override (a binary file's words often do), which printed raw would recolour, clear or reorder the reader's
 * terminal. A pipe or a file gets the word's characters as they are, as the table's `word<TAB>count` lines promise.
 *
 * @example
 * shownWord('a\u001b[2J', 0, true); // 'a\\x1b[2J'
 */
export function shownWord(word: string, charsMax: number, toTerminal: boolean): string {
  const shown = cutWord(word, charsMax);
  return toTerminal ? escapeControlCharacters(shown) : shown;
}

/** True when a surrogate pair (one astral character) starts at UTF-16 index `i`. */
function isPairAt(text: string, i: number): boolean {
  const high = text.charCodeAt(i);
  if (high < 0xd800 || high > 0xdbff) return false;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}

/** Unicode code points of `text` (a lone surrogate counts as one, as `[...text].length` counts it). */
function codePointsOf(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    if (isPairAt(text, i)) {
      pairs++;
      i++;
    }
  }
  return text.length - pairs;
}
