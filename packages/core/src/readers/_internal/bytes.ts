import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../../errors/fovea-error.js';

/** Throws the readers' malformed-file error: `op: <file> at byte <offset> must be <expected>, got <got>`. */
export function failAt(op: string, source: string, offset: number, expected: string, got: string): never {
  throw new FoveaError({ op, arg: `${source} at byte ${offset}`, expected, got });
}

/** Checks that `bytes` is a Uint8Array (or converts an ArrayBuffer / Node Buffer view). */
export function asBytes(op: string, arg: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new FoveaError({ op, arg, expected: 'a Uint8Array or ArrayBuffer of file bytes', got: bytes === null ? 'null' : typeof bytes });
}

/** The first bytes as hex, for messages: `1f 8b 08 00`. */
export function hex(bytes: Uint8Array, offset: number, n: number): string {
  return Array.from(bytes.subarray(offset, offset + n), (b) => b.toString(16).padStart(2, '0')).join(' ') || '(no bytes)';
}

/** Reads a whole file (Node only; dynamic import keeps browser bundles free of `node:fs`). */
export async function readFileBytes(op: string, path: string): Promise<Uint8Array> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new FoveaError({ op, arg: 'path', expected: 'a file path', got: typeof path });
  }
  const fs = await import('node:fs/promises');
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new FoveaError({ op, arg: path, expected: 'a readable file', got: err.code ?? err.message });
  }
}

/** Reads a file and gunzips it when it starts with the gzip magic `1f 8b` (Node only). */
export async function readMaybeGzip(op: string, path: string): Promise<Uint8Array> {
  const bytes = await readFileBytes(op, path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const zlib = await import('node:zlib');
    try {
      const out = zlib.gunzipSync(bytes);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch (e) {
      failAt(op, path, 0, 'a complete gzip stream', (e as Error).message);
    }
  }
  return bytes;
}

/** NHWC bytes 0–255 as a float32 tensor in [0, 1]. */
export function bytesToImages(bytes: Uint8Array, shape: [number, number, number, number]): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.tensor4d(Int32Array.from(bytes), shape, 'int32'), 255));
}
