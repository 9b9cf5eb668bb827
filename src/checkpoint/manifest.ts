/**
 * The checkpoint manifest, `_manifest.json`: written last, so a checkpoint directory without one is incomplete. It
 * is stored in a canonical form (2-space JSON of `{ manifest, crc32 }`, where `crc32` is the CRC-32 of the compact
 * JSON of `manifest`); a reader checks both, so any changed byte is detected, even one that still parses.
 */
import { CheckpointCorruptError } from '../common/errors.js';
import { crc32 } from '../storage/blocks/crc32.js';

/** The format version this build writes and reads. A different version is refused, never guessed at. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** The manifest's file name inside a checkpoint directory. */
export const MANIFEST_FILE = '_manifest.json';

/** One part file as the manifest records it. */
export interface ManifestPart {
  /** File name inside the checkpoint directory (`part-00000.arrow`). */
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  /** CRC-32 of the whole file. */
  readonly crc32: number;
}

/** The partitioner of the checkpointed dataset, so a reader keeps it (a later `reduceByKey` needs no shuffle). */
export type ManifestPartitioner =
  | { readonly kind: 'hash'; readonly numPartitions: number }
  /** Bounds as base64 of `v8.serialize(bounds)`: keys may be any value kindling compares. */
  | { readonly kind: 'range'; readonly numPartitions: number; readonly ascending: boolean; readonly bounds: string };

/** What `_manifest.json` holds. */
export interface CheckpointManifest {
  readonly format: 'kindling-checkpoint';
  readonly formatVersion: number;
  readonly createdAt: string;
  /** The dataset id in the process that wrote it (for people reading the directory). */
  readonly datasetId: number;
  readonly numPartitions: number;
  readonly partitioner: ManifestPartitioner | null;
  /** The Arrow schema of the part files (see arrow-schema-json.ts); null when parts differ (then see each part). */
  readonly schema: unknown;
  /** The Arrow schema of each part file, index = partition. */
  readonly partSchemas: readonly unknown[];
  readonly parts: readonly ManifestPart[];
  /** `explain()` of the dataset when it was checkpointed: the lineage the checkpoint replaced. */
  readonly lineage: string;
}

/**
 * The manifest's bytes in canonical form.
 *
 * @example
 * writeFileSync(join(dir, MANIFEST_FILE), serializeManifest(manifest));
 */
export function serializeManifest(manifest: CheckpointManifest): Buffer {
  return Buffer.from(`${JSON.stringify({ manifest, crc32: crc32(Buffer.from(JSON.stringify(manifest))) }, null, 2)}\n`);
}

/**
 * Parses and checks a manifest read from `path`: canonical form, CRC-32, format version and field types. Throws
 * `CheckpointCorruptError` naming `path` and what was expected versus found.
 *
 * @example
 * const manifest = parseManifest(readFileSync(file), file);
 */
export function parseManifest(bytes: Buffer, path: string): CheckpointManifest {
  let parsed: { manifest?: Partial<CheckpointManifest>; crc32?: unknown };
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as typeof parsed;
  } catch (error: unknown) {
    throw new CheckpointCorruptError(path, 'a JSON manifest', `unparsable text (${String(error)})`, { cause: error });
  }
  const manifest = parsed?.manifest;
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== 'kindling-checkpoint') {
    throw new CheckpointCorruptError(path, 'a kindling-checkpoint manifest', describe(manifest?.format));
  }
  if (manifest.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointCorruptError(
      path,
      `format version ${CHECKPOINT_FORMAT_VERSION}`,
      `format version ${describe(manifest.formatVersion)} (written by an incompatible kindling)`,
    );
  }
  const canonical = Buffer.from(`${JSON.stringify(parsed, null, 2)}\n`);
  if (!canonical.equals(bytes)) {
    throw new CheckpointCorruptError(path, `the canonical manifest text (${canonical.length} bytes)`, 'other bytes');
  }
  const found = crc32(Buffer.from(JSON.stringify(manifest)));
  if (found !== parsed.crc32) {
    throw new CheckpointCorruptError(path, `manifest CRC-32 ${describe(parsed.crc32)}`, `CRC-32 ${found}`);
  }
  checkFields(manifest as CheckpointManifest, path);
  return manifest as CheckpointManifest;
}

function checkFields(manifest: CheckpointManifest, path: string): void {
  const count = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
  const parts = manifest.parts;
  if (!count(manifest.numPartitions) || !Array.isArray(parts) || parts.length !== manifest.numPartitions) {
    throw new CheckpointCorruptError(path, 'numPartitions equal to the number of parts', 'a mismatch');
  }
  parts.forEach((part, i) => {
    const ok =
      typeof part === 'object' &&
      part !== null &&
      typeof part.file === 'string' &&
      /^part-\d{5,}\.arrow$/.test(part.file) &&
      count(part.rows) &&
      count(part.bytes) &&
      count(part.crc32);
    if (!ok) throw new CheckpointCorruptError(path, `part ${i}: file, rows, bytes, crc32`, JSON.stringify(part));
  });
}

function describe(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}
