import { Rng } from '../../src/common/rng.js';

/**
 * The words a generated corpus draws from, already encoded as UTF-8 so the generator copies bytes and never encodes
 * a string per word. Word `i` is `bytes[starts[i] … starts[i] + lengths[i])`; words `0 … asciiCount - 1` are
 * lowercase ASCII (most frequent first), the rest (`multiByteCount`) contain multi-byte UTF-8 characters.
 */
export interface Vocabulary {
  readonly words: readonly string[];
  readonly asciiCount: number;
  readonly multiByteCount: number;
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
}

/** Share of the vocabulary (and, since both parts are drawn Zipf-wise, of the words drawn) that is multi-byte. */
export const MULTI_BYTE_SHARE = 0.02;

/** Real words first, so the head of the multi-byte part looks like text: accents, ß, Greek, Cyrillic, CJK, emoji. */
const COMMON_MULTI_BYTE = [
  'café',
  'straße',
  '日本語',
  'naïve',
  'Ελληνικά',
  'русский',
  '🎉',
  'İstanbul',
  'Straße',
  'Ωμέγα',
  'über',
  'señor',
  'Zürich',
  'façade',
  '東京',
  'こんにちは',
  '👍',
  'ΣΟΦΊΑ',
  'Ärger',
  'Москва',
  'ﬁnance',
  'coöperate',
  '€uro',
  'naïveté',
];

/** English consonant and vowel frequencies (per mille), alternated so generated words can be pronounced. */
const CONSONANTS = 'bcdfghjklmnpqrstvwxyz';
const CONSONANT_WEIGHTS = [15, 28, 43, 22, 20, 61, 2, 8, 40, 24, 67, 19, 1, 60, 63, 91, 10, 24, 2, 20, 1];
const VOWELS = 'aeiou';
const VOWEL_WEIGHTS = [82, 127, 70, 75, 28];
const ACCENTED = 'éèêëàâäçñöüßøåíóúï';
const ACCENTED_CAPITALS = 'ÉÀÇÑÖÜØÅÍÓ';

/**
 * Builds a deterministic vocabulary of `size` distinct words for `seed`. Frequent ranks get short words (as "the",
 * "of", "and" are), rare ranks longer ones; about 1.5 % of ASCII words carry an inner `'` or `-` ("don't",
 * "well-known"). The multi-byte part mixes accented Latin (some Capitalized), Greek, Cyrillic, CJK, kana and emoji.
 * No word contains whitespace.
 *
 * @example
 * const v = createVocabulary(50_000, 7);
 * v.words[0]; // a short lowercase ASCII word
 */
export function createVocabulary(size: number, seed: number): Vocabulary {
  if (!Number.isSafeInteger(size) || size < 2)
    throw new RangeError(`vocabulary size must be an integer >= 2, found ${size}`);
  const rng = new Rng(seed);
  const multiByteCount = Math.max(1, Math.round(size * MULTI_BYTE_SHARE));
  const asciiCount = size - multiByteCount;
  const seen = new Set<string>();
  const words: string[] = [];
  const add = (word: string): boolean => {
    if (seen.has(word) || /\s/u.test(word)) return false;
    seen.add(word);
    words.push(word);
    return true;
  };
  for (let rank = 0; rank < asciiCount; rank++) {
    let lengthMax = 2 + Math.floor(0.6 * Math.log2(rank + 2));
    for (let tries = 0; !add(asciiWord(rng, 1 + rng.nextInt(Math.min(lengthMax, 18)))); tries++) {
      // Short lengths run out of distinct words quickly: widen after a few collisions.
      if (tries % 8 === 7) lengthMax++;
    }
  }
  for (const word of COMMON_MULTI_BYTE.slice(0, multiByteCount)) add(word);
  while (words.length < size) add(multiByteWord(rng));

  const encoded = words.map((word) => Buffer.from(word, 'utf8'));
  const starts = new Int32Array(size);
  const lengths = new Int32Array(size);
  const bytes = new Uint8Array(encoded.reduce((sum, b) => sum + b.length, 0));
  let offset = 0;
  encoded.forEach((b, i) => {
    starts[i] = offset;
    lengths[i] = b.length;
    bytes.set(b, offset);
    offset += b.length;
  });
  return { words, asciiCount, multiByteCount, bytes, starts, lengths };
}

function pick(rng: Rng, letters: string, weights: readonly number[]): string {
  let left = rng.nextInt(weights.reduce((a, b) => a + b, 0));
  for (let i = 0; i < weights.length; i++) {
    left -= weights[i]!;
    if (left < 0) return letters[i]!;
  }
  return letters[0]!;
}

/** Mostly consonant–vowel alternation ("tamore"), with some consonant pairs and vowel pairs ("strait"). */
function asciiWord(rng: Rng, length: number): string {
  let word = '';
  let vowel = rng.nextInt(3) === 0;
  while (word.length < length) {
    word += vowel ? pick(rng, VOWELS, VOWEL_WEIGHTS) : pick(rng, CONSONANTS, CONSONANT_WEIGHTS);
    if (rng.nextInt(5) !== 0) vowel = !vowel;
  }
  if (length >= 4 && rng.nextInt(1000) < 15) {
    const at = 1 + rng.nextInt(length - 2);
    word = word.slice(0, at) + (rng.nextInt(2) === 0 ? "'" : '-') + word.slice(at);
  }
  return word;
}

function charIn(rng: Rng, first: number, last: number): string {
  return String.fromCodePoint(first + rng.nextInt(last - first + 1));
}

function repeat(rng: Rng, lengthMin: number, lengthMax: number, char: () => string): string {
  let word = '';
  const length = lengthMin + rng.nextInt(lengthMax - lengthMin + 1);
  for (let i = 0; i < length; i++) word += char();
  return word;
}

/** One multi-byte word; the shares of each script are rough guesses at a multilingual web page. */
function multiByteWord(rng: Rng): string {
  const kind = rng.nextInt(100);
  if (kind < 35) {
    // Accented Latin: an ASCII word with one or two letters swapped for accented ones, sometimes Capitalized.
    const chars = [...asciiWord(rng, 3 + rng.nextInt(8))];
    for (let n = 1 + rng.nextInt(2); n > 0; n--)
      chars[rng.nextInt(chars.length)] = ACCENTED[rng.nextInt(ACCENTED.length)]!;
    if (rng.nextInt(5) === 0) chars[0] = ACCENTED_CAPITALS[rng.nextInt(ACCENTED_CAPITALS.length)]!;
    return chars.join('');
  }
  if (kind < 45) {
    const head = rng.nextInt(4) === 0 ? charIn(rng, 0x391, 0x3a1) : '';
    return head + repeat(rng, 2, 8, () => charIn(rng, 0x3b1, 0x3c9)); // Greek
  }
  if (kind < 55) {
    const head = rng.nextInt(4) === 0 ? charIn(rng, 0x410, 0x42f) : '';
    return head + repeat(rng, 2, 9, () => charIn(rng, 0x430, 0x44f)); // Cyrillic
  }
  if (kind < 75) return repeat(rng, 1, 4, () => charIn(rng, 0x4e00, 0x9fff)); // CJK ideographs, 3 bytes each
  if (kind < 85) return repeat(rng, 2, 5, () => charIn(rng, 0x3041, 0x3096)); // hiragana
  // Emoji (4 bytes, a surrogate pair in UTF-16), alone or after a word: "party🎉".
  const emoji = repeat(rng, 1, 2, () => charIn(rng, 0x1f600, 0x1f64f));
  return rng.nextInt(2) === 0 ? emoji : asciiWord(rng, 2 + rng.nextInt(6)) + emoji;
}
