import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { Rng, deriveSeed } from '../../src/common/rng.js';
import { createVocabulary, type Vocabulary } from './vocabulary.js';
import { ZipfSampler } from './zipf-sampler.js';

/** Options of {@link generateCorpus}. Everything but `bytes` is optional. */
export interface CorpusOptions {
  /** Exact size of the file, in bytes. */
  bytes: number;
  /**
   * Seed of the vocabulary and of the word stream: the same options always give the same bytes.
   * @default 1
   */
  seed?: number;
  /**
   * Distinct base words (before capitalization and punctuation add variants).
   * @default 50_000
   */
  vocabularySize?: number;
  /**
   * Exponent `s` of Zipf's law, P(rank r) ∝ 1 / r^s.
   * @default 1
   */
  zipfExponent?: number;
  /**
   * Which word stream of the seed to write: files of one corpus share the vocabulary and differ in their stream.
   * @default 0
   */
  stream?: number;
  /** A vocabulary made by `createVocabulary`, to reuse across files (else one is made from `seed`). */
  vocabulary?: Vocabulary;
}

/** What {@link generateCorpus} wrote. */
export interface CorpusStats {
  readonly bytes: number;
  readonly lines: number;
  readonly words: number;
}

/** Bytes handed to each `write` call; the only memory the generator holds besides the vocabulary. */
const CHUNK_BYTES = 8 * 1024 * 1024;
const WORDS_PER_LINE_MAX = 24;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const PREFIXES = Buffer.from('("\'', 'latin1');
const SUFFIXES = [',', '.', ',', '.', ';', ':', '!', '?', '."', ')', ',"', '...'].map((s) => Buffer.from(s, 'latin1'));

/**
 * Writes `options.bytes` bytes of synthetic prose to `path`, streaming through an 8 MiB buffer (1 GiB takes about
 * 25 s of one core, synchronously). Words follow Zipf's law over the vocabulary; about 2 % are multi-byte UTF-8 (é, ß, Greek, Cyrillic, CJK,
 * emoji). Some words are Capitalized (more often at the start of a line) or ALL CAPS, some carry punctuation
 * (`word,` `(word` `word."`). Lines hold 1–24 words separated mostly by one space, sometimes two or a tab; about
 * 6 % are empty, 2 % indented, and 3 % end in `\r\n` instead of `\n`. The file is valid UTF-8 and ends with `\n`
 * (the last line is padded with spaces to reach the exact size).
 *
 * @example
 * generateCorpus('/tmp/corpus.txt', { bytes: 1024 ** 3, seed: 7 }); // { bytes: 1073741824, lines: …, words: … }
 */
export function generateCorpus(path: string, options: CorpusOptions): CorpusStats {
  const total = options.bytes;
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`bytes must be an integer >= 0, found ${total}`);
  const seed = options.seed ?? 1;
  const vocabulary = options.vocabulary ?? createVocabulary(options.vocabularySize ?? 50_000, seed);
  const writer = new WordWriter(vocabulary, options.zipfExponent ?? 1, new Rng(deriveSeed(seed, options.stream ?? 0)));
  const lineBytesMax = writer.lineBytesMax;
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES + 2 * lineBytesMax);
  const fd = openSync(path, 'w');
  let written = 0;
  let lines = 0;
  try {
    const flush = (): void => {
      for (let offset = 0; offset < writer.pos;) offset += writeSync(fd, buffer, offset, writer.pos - offset);
      written += writer.pos;
      writer.pos = 0;
    };
    writer.out = buffer;
    while (written + writer.pos + lineBytesMax <= total) {
      writer.line();
      lines++;
      if (writer.pos >= CHUNK_BYTES) flush();
    }
    const remaining = total - written - writer.pos;
    if (remaining > 0) {
      writer.lastLine(remaining);
      lines++;
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { bytes: written, lines, words: writer.words };
}

/** Options of {@link generateCorpusFiles}: {@link CorpusOptions} with `bytes` for the whole corpus. */
export interface CorpusFilesOptions extends Omit<CorpusOptions, 'stream' | 'vocabulary'> {
  /** Number of files, `part-1.txt … part-<files>.txt`; `bytes` is spread evenly over them. */
  files: number;
}

/**
 * Writes a corpus of `options.bytes` bytes as `options.files` files in `dir` (created if missing), sharing one
 * vocabulary, each with its own word stream. Returns the file paths.
 *
 * @example
 * generateCorpusFiles('/tmp/corpus', { bytes: 2 * 1024 ** 2, files: 4, seed: 2024 });
 */
export function generateCorpusFiles(dir: string, options: CorpusFilesOptions): string[] {
  const { files, ...rest } = options;
  if (!Number.isSafeInteger(files) || files < 1) throw new RangeError(`files must be an integer >= 1, found ${files}`);
  const seed = rest.seed ?? 1;
  const vocabulary = createVocabulary(rest.vocabularySize ?? 50_000, seed);
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < files; i++) {
    const path = join(dir, `part-${i + 1}.txt`);
    const bytes = Math.floor((rest.bytes * (i + 1)) / files) - Math.floor((rest.bytes * i) / files);
    generateCorpus(path, { ...rest, seed, bytes, stream: i, vocabulary });
    paths.push(path);
  }
  return paths;
}

/** Appends lines of random words to `out` at `pos`; the caller owns flushing. */
class WordWriter {
  out: Buffer = Buffer.alloc(0);
  pos = 0;
  words = 0;
  /** An upper bound on the bytes of one line, so the buffer never overflows mid-line. */
  readonly lineBytesMax: number;
  private readonly bytes: Uint8Array;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  private readonly asciiCount: number;
  private readonly ascii: ZipfSampler;
  private readonly multiByte: ZipfSampler;
  /** Out of 256: the chance that a word comes from the multi-byte part. */
  private readonly multiByteIn256: number;

  private readonly rng: Rng;

  constructor(vocabulary: Vocabulary, exponent: number, rng: Rng) {
    this.rng = rng;
    this.bytes = vocabulary.bytes;
    this.starts = vocabulary.starts;
    this.lengths = vocabulary.lengths;
    this.asciiCount = vocabulary.asciiCount;
    this.ascii = new ZipfSampler(vocabulary.asciiCount, exponent);
    this.multiByte = new ZipfSampler(vocabulary.multiByteCount, exponent);
    this.multiByteIn256 = Math.round((256 * vocabulary.multiByteCount) / vocabulary.words.length);
    const wordBytesMax = vocabulary.lengths.reduce((a, b) => Math.max(a, b), 0);
    // indent + per word: prefix, word, longest suffix, two separator bytes + "\r\n".
    this.lineBytesMax = 4 + WORDS_PER_LINE_MAX * (1 + wordBytesMax + 3 + 2) + 2;
  }

  /** One whole line, terminator included. */
  line(): void {
    const shape = this.rng.nextUint32();
    if ((shape & 0xff) < 15) {
      this.end(shape);
      return;
    }
    if (((shape >>> 8) & 0xff) < 5) for (let n = 2 + ((shape >>> 16) % 3); n > 0; n--) this.out[this.pos++] = SPACE;
    // One line in ten is a short "heading"; the rest are uniform in 1–24 words.
    const count = 1 + this.rng.nextInt(shape >>> 24 < 26 ? 3 : WORDS_PER_LINE_MAX);
    for (let i = 0; i < count; i++) {
      if (i > 0) this.separator();
      this.word(i === 0);
    }
    this.end(shape);
  }

  /** The last line of the file: whole words while they fit in `remaining` bytes, then spaces, then `\n`. */
  lastLine(remaining: number): void {
    const end = this.pos + remaining - 1;
    for (let first = true; ; first = false) {
      const before = this.pos;
      if (!first) this.out[this.pos++] = SPACE;
      this.word(first);
      if (this.pos > end) {
        this.words--;
        this.pos = before;
        break;
      }
    }
    while (this.pos < end) this.out[this.pos++] = SPACE;
    this.out[this.pos++] = NEWLINE;
  }

  private end(shape: number): void {
    if (((shape >>> 16) & 0xff) < 8) this.out[this.pos++] = 0x0d;
    this.out[this.pos++] = NEWLINE;
  }

  private separator(): void {
    const kind = this.rng.nextUint32() & 0xff;
    if (kind < 3) this.out[this.pos++] = 0x09;
    else if (kind < 8) this.out[this.pos++] = SPACE;
    this.out[this.pos++] = SPACE;
  }

  private word(lineStart: boolean): void {
    // Locals, not fields, in this loop: V8 keeps them in registers (3x faster than `this.pos++` per byte).
    const bits = this.rng.nextUint32();
    const out = this.out;
    const bytes = this.bytes;
    let pos = this.pos;
    const multi = (bits & 0xff) < this.multiByteIn256;
    const index = multi ? this.asciiCount + this.multiByte.next(this.rng) : this.ascii.next(this.rng);
    if (((bits >>> 8) & 0xff) < 3) out[pos++] = PREFIXES[(bits >>> 8) & 0xff]!;
    const start = this.starts[index]!;
    const end = start + this.lengths[index]!;
    const first = pos;
    for (let k = start; k < end; k++) out[pos++] = bytes[k]!;
    if (!multi) {
      // ASCII: a–z is 0x61–0x7a, and its capital is 0x20 lower. Inner `'` and `-` stay as they are.
      const casing = (bits >>> 16) & 0xff;
      if (casing === 255) {
        for (let k = first; k < pos; k++) if (out[k]! >= 0x61) out[k] = out[k]! - 0x20;
      } else if (casing < (lineStart ? 100 : 14)) {
        out[first] = out[first]! - 0x20;
      }
    }
    if (bits >>> 24 < 22) {
      const suffix = SUFFIXES[(bits >>> 24) % SUFFIXES.length]!;
      for (let k = 0; k < suffix.length; k++) out[pos++] = suffix[k]!;
    }
    this.pos = pos;
    this.words++;
  }
}
