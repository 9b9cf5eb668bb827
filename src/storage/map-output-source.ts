/**
 * Where a map output's bytes are read from: its shared buffer (views, no copy) or its spill file (positioned reads
 * into private buffers), each read checked against the output's length.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { MapOutputRef } from '../protocol/map-output.js';

export interface Source {
  read(offset: number, length: number): Uint8Array;
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
    return {
      read: (offset, length) => {
        if (!(offset >= 0 && offset + length <= all.byteLength)) {
          throw new Error(`expected bytes [${offset}, ${offset + length}) within ${all.byteLength}`);
        }
        return all.subarray(offset, offset + length);
      },
      close: noClose,
    };
  }
  const fd = openSync(ref.path, 'r');
  return {
    read: (offset, length) => {
      if (!(offset >= 0 && offset + length <= ref.byteLength)) {
        throw new Error(`expected bytes [${offset}, ${offset + length}) within ${ref.byteLength}`);
      }
      const bytes = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, bytes, done, length - done, offset + done);
        if (n === 0) throw new Error(`the file ends at byte ${offset + done}, expected ${ref.byteLength} bytes`);
        done += n;
      }
      return bytes;
    },
    close: () => closeSync(fd),
  };
}

/** A private copy whose buffer starts at the view (typed-array views of it are aligned). */
export function own(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}
