/**
 * Text made safe to print for a reader: data shown in a table (`Dataset.show`, the word-count CLI's top table on a
 * terminal) may hold control characters, and printed raw they break the table's lines (`\n`, `\r`), move the cursor,
 * recolour or clear the terminal (an escape sequence starts with ESC, U+001B) or reorder what follows (Unicode's
 * bidirectional overrides, the "Trojan Source" characters). Each such character is shown as an escape instead, one
 * reader knows from JavaScript string literals.
 */

/**
 * C0 controls (U+0000–U+001F), DEL and the C1 controls (U+007F–U+009F), the line and paragraph separators, and the
 * bidirectional marks, embeddings, overrides and isolates (U+200E–U+200F, U+202A–U+202E, U+2066–U+2069).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_ANY = new RegExp(UNSAFE.source);

/** The escapes a JavaScript reader knows by sight; every other unsafe character is `\xNN` or `\uNNNN`. */
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with every control, separator and bidirectional formatting character replaced by its escape (`\n`, `\t`,
 * `\x1b`, `\u202e` …); other characters, a backslash included, are kept as they are. The same string when there is
 * nothing to escape, which is what almost every cell is.
 *
 * @example
 * escapeControlCharacters('a\u001b[2Jb'); // 'a\\x1b[2Jb': shown as a\x1b[2Jb, the screen is not cleared
 */
export function escapeControlCharacters(text: string): string {
  if (!UNSAFE_ANY.test(text)) return text;
  return text.replace(UNSAFE, (char) => NAMED[char] ?? escapeOf(char.charCodeAt(0)));
}

function escapeOf(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
