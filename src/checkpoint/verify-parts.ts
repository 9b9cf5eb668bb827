/**
 * The driver's check of a written checkpoint's part files before a job reads them: present, of the recorded size,
 * with the recorded CRC-32. A file is checked again only when its size, mtime or inode changed since its last good
 * check, so a checkpoint is read once per change, not once per job; tasks check every read themselves too.
 */
import { readFileSync, statSync } from 'node:fs';
import type { CheckpointPartSpec } from '../protocol/pipeline.js';
import { CheckpointCorruptError } from '../common/errors.js';
import { crc32 } from '../storage/blocks/crc32.js';

/** Last good check of each part file, by path: `size/mtimeMs/ino`. */
export type VerifiedStamps = Map<string, string>;

function stampOf(path: string): string | null {
  try {
    const stat = statSync(path);
    return `${stat.size}/${stat.mtimeMs}/${stat.ino}`;
  } catch {
    return null;
  }
}

/**
 * Records `parts` as good as they are now (the driver just committed them).
 *
 * @example
 * trustParts(parts, stamps);
 */
export function trustParts(parts: readonly CheckpointPartSpec[], stamps: VerifiedStamps): void {
  for (const part of parts) {
    const stamp = stampOf(part.path);
    if (stamp !== null) stamps.set(part.path, stamp);
  }
}

/**
 * The problem with one part file, or null when it is intact.
 *
 * @example
 * const problem = checkPart(part, stamps); // CheckpointCorruptError | null
 */
export function checkPart(part: CheckpointPartSpec, stamps: VerifiedStamps): CheckpointCorruptError | null {
  const stamp = stampOf(part.path);
  if (stamp === null) return new CheckpointCorruptError(part.path, `a part file of ${part.bytes} bytes`, 'no file');
  if (stamps.get(part.path) === stamp) return null;
  const bytes = readFileSync(part.path);
  if (bytes.byteLength !== part.bytes) {
    return new CheckpointCorruptError(part.path, `${part.bytes} bytes`, `${bytes.byteLength} bytes`);
  }
  const found = crc32(bytes);
  if (found !== part.checksum) {
    return new CheckpointCorruptError(part.path, `CRC-32 ${hex(part.checksum)}`, `CRC-32 ${hex(found)}`);
  }
  stamps.set(part.path, stamp);
  return null;
}

function hex(checksum: number): string {
  return `0x${(checksum >>> 0).toString(16).padStart(8, '0')}`;
}
