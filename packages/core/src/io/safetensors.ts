import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { formatShape } from '../validate/shape.js';
import { checkOneOf } from '../validate/values.js';

/** The tensors and metadata of a safetensors file. @category IO */
export interface Safetensors {
  /** Tensors by name, in file order (the caller disposes them). */
  tensors: Record<string, tf.Tensor>;
  /** The file's `__metadata__` string map (empty if absent). */
  metadata: Record<string, string>;
}

/** Options for {@link decodeSafetensors}. @category IO */
export interface DecodeSafetensorsOptions {
  /** A file name for error messages. */
  source?: string;
}

const MAX_HEADER = 100 * 1024 * 1024;

const ITEM_SIZE: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8,
};

function fail(source: string, offset: number, expected: string, got: string): never {
  throw new FoveaError({ op: 'decodeSafetensors', arg: `${source} at byte ${offset}`, expected, got });
}

function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * Decodes a safetensors file (the format of Hugging Face's `safetensors`,
 * which PyTorch users export state dicts to) into tensors. F32/F16/BF16/F64
 * become float32, integer types int32 (values outside int32 are rejected),
 * BOOL bool. The header is validated completely before any tensor is made:
 * a truncated file, a header that lies about sizes or offsets, overlapping
 * or non-contiguous tensors and unknown dtypes get a {@link FoveaError} naming
 * the file and byte offset, never a partial load.
 *
 * @param bytes the whole file.
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from '@fovea/core';
 * import * as tf from '@tensorflow/tfjs-core';
 * const bytes = await encodeSafetensors({ w: tf.ones([2, 2]) });
 * const { tensors } = decodeSafetensors(bytes);
 * tensors.w.shape; // [2, 2]
 * ```
 * @category IO
 */
export function decodeSafetensors(bytes: Uint8Array, opts: DecodeSafetensorsOptions = {}): Safetensors {
  const source = opts.source ?? 'safetensors data';
  if (!(bytes instanceof Uint8Array)) {
    throw new FoveaError({ op: 'decodeSafetensors', arg: 'bytes', expected: 'a Uint8Array', got: typeof bytes });
  }
  if (bytes.length < 8) fail(source, 0, 'an 8-byte header length', `a ${bytes.length}-byte file (truncated)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hi = view.getUint32(4, true);
  const headerLen = hi * 2 ** 32 + view.getUint32(0, true);
  if (headerLen > bytes.length - 8) {
    fail(source, 0, `a header length <= ${bytes.length - 8} (the bytes after it)`, `${headerLen} (truncated file or corrupt header)`);
  }
  if (headerLen > MAX_HEADER) fail(source, 0, `a header length <= ${MAX_HEADER}`, String(headerLen));
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    fail(source, 8, 'a UTF-8 JSON header', `unparseable header (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail(source, 8, 'a JSON object header', Array.isArray(header) ? 'an array' : String(header));
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  interface Entry { name: string; dtype: string; shape: number[]; begin: number; end: number }
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Object.values(info).some((v) => typeof v !== 'string')) {
        fail(source, 8, '__metadata__ to be a map of strings', JSON.stringify(info).slice(0, 60));
      }
      Object.assign(metadata, info);
      continue;
    }
    const i = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof i !== 'object' || i === null) fail(source, 8, `tensor '${name}' to be an object`, String(info));
    if (typeof i.dtype !== 'string' || !(i.dtype in ITEM_SIZE)) {
      fail(source, 8, `tensor '${name}' dtype one of ${Object.keys(ITEM_SIZE).join(', ')}`, String(i.dtype));
    }
    if (!Array.isArray(i.shape) || i.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      fail(source, 8, `tensor '${name}' shape a list of non-negative integers`, JSON.stringify(i.shape));
    }
    const off = i.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0)) {
      fail(source, 8, `tensor '${name}' data_offsets [begin, end]`, JSON.stringify(off));
    }
    const [begin, end] = off as [number, number];
    const shape = i.shape as number[];
    const numel = shape.reduce((a, b) => a * b, 1);
    const size = numel * ITEM_SIZE[i.dtype as string]!;
    if (end < begin || end - begin !== size) {
      fail(source, dataStart + begin, `tensor '${name}' of ${i.dtype} ${formatShape(shape)} to span ${size} bytes`, `data_offsets [${begin}, ${end}]`);
    }
    if (end > dataLen) {
      fail(source, dataStart + begin, `tensor '${name}' to end within the file (${dataLen} data bytes)`, `end offset ${end} (truncated file or lying header)`);
    }
    entries.push({ name, dtype: i.dtype as string, shape, begin, end });
  }
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev = '';
  for (const e of byOffset) {
    if (e.begin < pos) fail(source, dataStart + e.begin, `tensor '${e.name}' not to overlap '${prev}' (ends at ${pos})`, `data_offsets [${e.begin}, ${e.end}]`);
    if (e.begin > pos) fail(source, dataStart + pos, `contiguous tensor data`, `a gap of ${e.begin - pos} bytes before '${e.name}'`);
    pos = e.end;
    prev = e.name;
  }
  if (pos !== dataLen) fail(source, dataStart + pos, `the data to end at byte ${dataStart + pos}`, `${dataLen - pos} trailing bytes`);

  // every check passed: convert (int64 range checks can still fail, before any tensor is made)
  const arrays = entries.map((e) => ({ e, values: convert(e, bytes, dataStart, source) }));
  const tensors: Record<string, tf.Tensor> = {};
  for (const { e, values } of arrays) tensors[e.name] = tf.tensor(values.data, e.shape, values.dtype);
  return { tensors, metadata };
}

function convert(
  e: { name: string; dtype: string; shape: number[]; begin: number; end: number },
  bytes: Uint8Array,
  dataStart: number,
  source: string,
): { data: Float32Array | Int32Array | Uint8Array; dtype: tf.DataType } {
  const n = e.shape.reduce((a, b) => a * b, 1);
  const start = dataStart + e.begin;
  const dv = new DataView(bytes.buffer, bytes.byteOffset + start, e.end - e.begin);
  switch (e.dtype) {
    case 'F32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, true);
      return { data: out, dtype: 'float32' };
    }
    case 'F64': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, true);
      return { data: out, dtype: 'float32' };
    }
    case 'F16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = f16ToF32(dv.getUint16(2 * i, true));
      return { data: out, dtype: 'float32' };
    }
    case 'BF16': {
      const out = new Float32Array(n);
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) u[i] = dv.getUint16(2 * i, true) << 16;
      return { data: out, dtype: 'float32' };
    }
    case 'BOOL': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getUint8(i) ? 1 : 0;
      return { data: out, dtype: 'bool' };
    }
    default: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let v: number;
        switch (e.dtype) {
          case 'U8': v = dv.getUint8(i); break;
          case 'I8': v = dv.getInt8(i); break;
          case 'I16': v = dv.getInt16(2 * i, true); break;
          case 'U16': v = dv.getUint16(2 * i, true); break;
          case 'I32': v = dv.getInt32(4 * i, true); break;
          case 'U32': v = dv.getUint32(4 * i, true); break;
          case 'I64': v = Number(dv.getBigInt64(8 * i, true)); break;
          default: v = Number(dv.getBigUint64(8 * i, true));
        }
        if (v > 2147483647 || v < -2147483648) {
          fail(source, start + i * ITEM_SIZE[e.dtype]!, `tensor '${e.name}' values within int32`, String(v));
        }
        out[i] = v;
      }
      return { data: out, dtype: 'int32' };
    }
  }
}

/** Options for {@link encodeSafetensors}. @category IO */
export interface EncodeSafetensorsOptions {
  /**
   * How float32 tensors are stored: `'F32'` (default, exact), `'F16'` (IEEE
   * half precision, round to nearest even: half the bytes, about 3 significant
   * digits, |v| above 65504 becomes ±inf) or `'BF16'` (bfloat16: float32's
   * range, about 2–3 digits). PyTorch reads all three.
   */
  floatDtype?: 'F32' | 'F16' | 'BF16';
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE half-precision bits of `v`, rounded to nearest even (overflow → ±inf, tiny → subnormal or ±0, NaN kept). */
function f32ToF16(v: number): number {
  f32Scratch[0] = v;
  const x = u32Scratch[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const man = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0); // inf, NaN
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00; // overflow
  if (e <= 0) {
    if (e < -10) return sign; // underflow to ±0
    const m = man | 0x800000; // subnormal half: shift the implicit 1 in
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let h = m >>> shift;
    if (rest > half || (rest === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (man >>> 13);
  const rest = man & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++; // a carry rounds into the exponent, up to inf
  return sign | h;
}

/** bfloat16 bits of `v`: the top 16 bits of float32, rounded to nearest even (NaN kept). */
function f32ToBF16(v: number): number {
  f32Scratch[0] = v;
  const x = u32Scratch[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff)) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/**
 * Encodes tensors (and optional string metadata) as a safetensors file that
 * Python's `safetensors.torch.load_file` reads. float32 → F32 (or F16/BF16
 * with `floatDtype`, for smaller files), int32 → I32, bool → BOOL. Reads
 * tensor data asynchronously, so it works on every backend.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { encodeSafetensors } from '@fovea/core';
 * const bytes = await encodeSafetensors({ weight: tf.ones([3, 2]) }, { format: 'pt' });
 * bytes.length; // 8 + header + 24
 * const half = await encodeSafetensors({ weight: tf.ones([3, 2]) }, {}, { floatDtype: 'F16' }); // 12 bytes of data
 * ```
 * @category IO
 */
export async function encodeSafetensors(
  tensors: Record<string, tf.Tensor>,
  metadata: Record<string, string> = {},
  opts: EncodeSafetensorsOptions = {},
): Promise<Uint8Array> {
  const floatDtype = checkOneOf('encodeSafetensors', 'options.floatDtype', opts.floatDtype ?? 'F32', ['F32', 'F16', 'BF16'] as const);
  const names = Object.keys(tensors);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (!(t instanceof tf.Tensor) || t.isDisposed) {
      throw new FoveaError({ op: 'encodeSafetensors', arg: `tensors['${name}']`, expected: 'a live tf.Tensor', got: typeof t });
    }
    const code = t.dtype === 'float32' ? floatDtype : t.dtype === 'int32' ? 'I32' : t.dtype === 'bool' ? 'BOOL' : null;
    if (code === null) {
      throw new FoveaError({ op: 'encodeSafetensors', arg: `tensors['${name}']`, expected: 'dtype float32, int32 or bool', got: `dtype ${t.dtype}` });
    }
    const data = await t.data();
    let raw: Uint8Array;
    if (code === 'BOOL') raw = Uint8Array.from(data as Uint8Array, (v) => (v ? 1 : 0));
    else if (code === 'F16' || code === 'BF16') {
      const bits = Uint16Array.from(data as Float32Array, code === 'F16' ? f32ToF16 : f32ToBF16); // little-endian hosts, as for F32
      raw = new Uint8Array(bits.buffer);
    } else raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    header[name] = { dtype: code, shape: t.shape, data_offsets: [offset, offset + raw.length] };
    chunks.push(raw);
    offset += raw.length;
  }
  let json = JSON.stringify(header);
  const pad = (8 - ((new TextEncoder().encode(json).length) % 8)) % 8;
  json += ' '.repeat(pad);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, headerBytes.length, true);
  dv.setUint32(4, 0, true);
  out.set(headerBytes, 8);
  let p = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}
