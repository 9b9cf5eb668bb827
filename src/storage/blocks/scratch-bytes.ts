/**
 * A growable byte buffer reused across `encodeBlock` calls. Variable-length column bytes (UTF-8 text, v8
 * payloads) are staged here, because a block's SharedArrayBuffer can only be allocated once every column's exact
 * size is known; staging in one reused buffer avoids a second encoding pass per string and a fresh allocation per
 * block.
 */

/** Capacity of a fresh scratch buffer. */
const scratchBytesInitial = 64 * 1024;

/** A scratch buffer that grew beyond this is dropped after use, so one huge block does not pin memory forever. */
const scratchBytesRetainedMax = 64 * 1024 * 1024;

/** Staging area: `bytes[0, used)` holds what was written since `acquireScratch()`. */
export class ScratchBytes {
  bytes: Buffer = Buffer.allocUnsafe(scratchBytesInitial);
  used = 0;

  /**
   * Makes room for `extra` more bytes after `used`, keeping what was written. Call before writing; `bytes` may be
   * a new Buffer afterwards, so re-read it.
   */
  reserve(extra: number): Buffer {
    const needed = this.used + extra;
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    return this.bytes;
  }
}

let shared: ScratchBytes | undefined;
let sharedInUse = false;

/**
 * Takes the module's scratch buffer, emptied. If it is already taken (a user getter called `encodeBlock` while
 * another encode was staging), returns a private one so the two never overwrite each other.
 */
export function acquireScratch(): ScratchBytes {
  if (sharedInUse) return new ScratchBytes();
  sharedInUse = true;
  shared ??= new ScratchBytes();
  shared.used = 0;
  return shared;
}

/** Gives a scratch buffer back; the staged bytes must not be read afterwards. */
export function releaseScratch(scratch: ScratchBytes): void {
  if (scratch !== shared) return;
  sharedInUse = false;
  if (scratch.bytes.length > scratchBytesRetainedMax) shared = undefined;
}
