/**
 * Where a map output's bytes are read from: its shared buffer (views, no copy) or its spill file (positioned reads
 * into private buffers, or into the caller's), each read checked against the output's length.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { MapOutputRef } from '../../protocol/map-output.js';

export interface Source {
  /** Bytes [offset, offset + length): a view of the output in memory, a new buffer from a file. */
  read(offset: number, length: number): Uint8Array;
  /** Copies bytes [offset, offset + target.byteLength) into `target` (no buffer of its own). */
  readInto(target: Uint8Array, offset: number): void;
  close(): void;
}

export function withSource<T>(ref: MapOutputRef, use: (source: Source) => T): T {
  const source = openSource(ref);
  try {
    return use(source);
  } finally {
    source.close();
  }
}

const noClose = (): void => {};

export function openSource(ref: MapOutputRef): Source {
  if (ref.kind === 'memory') {
    const all = new Uint8Array(ref.buffer);
    const read = (offset: number, length: number): Uint8Array => {
      if (!(offset >= 0 && offset + length <= all.byteLength)) {
        throw new Error(`expected bytes [${offset}, ${offset + length}) within ${all.byteLength}`);
      }
      return all.subarray(offset, offset + length);
    };
    return { read, readInto: (target, offset) => target.set(read(offset, target.byteLength)), close: noClose };
  }
  const fd = openSync(ref.path, 'r');
  const readInto = (target: Uint8Array, offset: number): void => {
    const length = target.byteLength;
    if (!(offset >= 0 && offset + length <= ref.byteLength)) {
      throw new Error(`expected bytes [${offset}, ${offset + length}) within ${ref.byteLength}`);
    }
    let done = 0;
    while (done < length) {
      const n = readSync(fd, target, done, length - done, offset + done);
      if (n === 0) throw new Error(`the file ends at byte ${offset + done}, expected ${ref.byteLength} bytes`);
      done += n;
    }
  };
  return {
    read: (offset, length) => {
      const bytes = new Uint8Array(length);
      readInto(bytes, offset);
      return bytes;
    },
    readInto,
    close: () => closeSync(fd),
  };
}

/** A private copy whose buffer starts at the view (typed-array views of it are aligned). */
export function own(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}
