import { asBytes, failAt, hex, readMaybeGzip } from './_internal/bytes.js';

/** The element types of the IDX format. @category Readers */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A decoded IDX file: its element type, shape and values (row-major). @category Readers */
export interface IdxArray {
  /** Element type, from the magic number's third byte. */
  dtype: IdxDtype;
  /** Dimensions, from the big-endian header. */
  shape: number[];
  /** `∏shape` values in row-major order (a copy, in native byte order). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { dtype: IdxDtype; size: number }> = {
  0x08: { dtype: 'uint8', size: 1 },
  0x09: { dtype: 'int8', size: 1 },
  0x0b: { dtype: 'int16', size: 2 },
  0x0c: { dtype: 'int32', size: 4 },
  0x0d: { dtype: 'float32', size: 4 },
  0x0e: { dtype: 'float64', size: 8 },
};

/** Options for the IDX and MNIST decoders. @category Readers */
export interface IdxDecodeOptions {
  /** The file's name, for error messages (default `'IDX data'`). */
  source?: string;
}

function readData(bytes: Uint8Array, offset: number, n: number, dtype: IdxDtype): IdxArray['data'] {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  switch (dtype) {
    case 'uint8':
      return bytes.slice(offset, offset + n);
    case 'int8':
      return new Int8Array(bytes.slice(offset, offset + n).buffer);
    case 'int16':
      return Int16Array.from({ length: n }, (_, i) => view.getInt16(2 * i, false));
    case 'int32':
      return Int32Array.from({ length: n }, (_, i) => view.getInt32(4 * i, false));
    case 'float32':
      return Float32Array.from({ length: n }, (_, i) => view.getFloat32(4 * i, false));
    case 'float64':
      return Float64Array.from({ length: n }, (_, i) => view.getFloat64(8 * i, false));
  }
}

/**
 * Decodes an IDX file (the format of the MNIST distribution): a magic number
 * `00 00 TT DD` (type `TT`, `DD` dimensions), `DD` big-endian uint32 sizes,
 * then the values, big-endian. A malformed file throws a {@link FoveaError}
 * naming the file and byte offset: bad magic, unknown type, truncated header
 * or data, trailing bytes. Gzipped bytes are rejected with a hint (the Node
 * helpers {@link readIdx} and {@link readMnist} gunzip `.gz` files).
 *
 * @param bytes the file's bytes.
 * @returns the element type, shape and row-major values.
 * @example
 * ```ts
 * import { decodeIdx } from '@fovea/core';
 * const bytes = Uint8Array.from([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9]); // uint8, shape [3]
 * const { dtype, shape, data } = decodeIdx(bytes);
 * // dtype 'uint8', shape [3], data Uint8Array [7, 8, 9]
 * ```
 * @category Readers
 */
export function decodeIdx(bytes: Uint8Array, opts: IdxDecodeOptions = {}): IdxArray {
  const op = 'decodeIdx';
  const src = opts.source ?? 'IDX data';
  bytes = asBytes(op, 'bytes', bytes);
  if (bytes.length < 4) failAt(op, src, bytes.length, 'a 4-byte IDX magic number', `end of data (file of ${bytes.length} bytes, truncated)`);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    failAt(op, src, 0, 'an IDX magic number 00 00 TT DD', 'gzip data (1f 8b): gunzip it first (readIdx/readMnist do)');
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) failAt(op, src, 0, 'an IDX magic number 00 00 TT DD', hex(bytes, 0, 4));
  const type = TYPES[bytes[2]!];
  if (!type) failAt(op, src, 2, 'an IDX type byte (08, 09, 0b, 0c, 0d or 0e)', hex(bytes, 2, 1));
  const nd = bytes[3]!;
  if (nd === 0) failAt(op, src, 3, 'at least one dimension', '0');
  const header = 4 + 4 * nd;
  if (bytes.length < header) failAt(op, src, bytes.length, `${nd} big-endian uint32 dimensions (a ${header}-byte header)`, `end of data (file of ${bytes.length} bytes, truncated)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < nd; d++) {
    shape.push(view.getUint32(4 + 4 * d, false));
    count *= shape[d]!;
  }
  const expected = header + count * type.size;
  if (bytes.length < expected) {
    failAt(op, src, bytes.length, `${count * type.size} data bytes for shape [${shape.join(', ')}] of ${type.dtype} (a ${expected}-byte file)`, `end of data (file of ${bytes.length} bytes, truncated)`);
  }
  if (bytes.length > expected) {
    failAt(op, src, expected, `the end of the file (shape [${shape.join(', ')}] of ${type.dtype} ends here)`, `${bytes.length - expected} more bytes: dims that do not match the size`);
  }
  return { dtype: type.dtype, shape, data: readData(bytes, header, count, type.dtype) };
}

/**
 * Reads and decodes an IDX file (Node only), gunzipping it first when it is
 * gzipped (`train-images-idx3-ubyte.gz`). See {@link decodeIdx}.
 *
 * @example
 * ```ts
 * import { readIdx } from '@fovea/core';
 * const { shape } = await readIdx('mnist/t10k-labels-idx1-ubyte.gz'); // [10000]
 * ```
 * @category Readers
 */
export async function readIdx(path: string): Promise<IdxArray> {
  return decodeIdx(await readMaybeGzip('readIdx', path), { source: path });
}
