import { FoveaError } from '../errors/fovea-error.js';
import { asBytes, failAt, hex } from './_internal/bytes.js';

/** A decoded image: bytes `[H, W, C]`, row-major, interleaved channels. @category Readers */
export interface DecodedImage {
  /** `H·W·C` bytes 0–255. */
  data: Uint8Array;
  height: number;
  width: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  channels: 1 | 3 | 4;
}

/** Options for {@link decodeImage}. @category Readers */
export interface DecodeImageOptions {
  /**
   * Channels wanted: 3 (default; RGB, as torchvision's `ImageFolder` loader's
   * `convert('RGB')`: grey is replicated, alpha dropped), 1 (luma
   * `0.299 R + 0.587 G + 0.114 B`, PIL's `convert('L')`) or 4 (RGBA, opaque
   * when the file has no alpha).
   */
  channels?: 1 | 3 | 4;
  /** The file's name, for error messages (default `'image data'`). */
  source?: string;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Walks the PNG chunks so a truncated or damaged file is reported with its byte offset. */
function checkPngChunks(op: string, src: string, b: Uint8Array): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 8;
  let first = true;
  while (true) {
    if (at + 8 > b.length) failAt(op, src, at, 'a PNG chunk header (IEND not reached)', `end of data (file of ${b.length} bytes, truncated)`);
    const len = view.getUint32(at, false);
    const type = String.fromCharCode(b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!);
    if (first && type !== 'IHDR') failAt(op, src, at + 4, "the PNG 'IHDR' chunk first", `'${type}'`);
    first = false;
    if (at + 12 + len > b.length) {
      failAt(op, src, at, `a complete '${type}' chunk of ${len} bytes`, `end of data (file of ${b.length} bytes, truncated)`);
    }
    at += 12 + len;
    if (type === 'IEND') return;
  }
}

/** Walks the JPEG segments up to the scan and looks for the end marker. */
function checkJpegSegments(op: string, src: string, b: Uint8Array): void {
  let at = 2;
  while (true) {
    if (at + 2 > b.length) failAt(op, src, at, 'a JPEG marker (start of scan not reached)', `end of data (file of ${b.length} bytes, truncated)`);
    if (b[at] !== 0xff) failAt(op, src, at, 'a JPEG marker (ff xx)', hex(b, at, 2));
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (at + 4 > b.length) failAt(op, src, at, 'a JPEG segment length', `end of data (file of ${b.length} bytes, truncated)`);
    const len = (b[at + 2]! << 8) | b[at + 3]!;
    if (at + 2 + len > b.length) failAt(op, src, at, `a complete JPEG segment ff ${marker.toString(16)} of ${len} bytes`, `end of data (file of ${b.length} bytes, truncated)`);
    at += 2 + len;
    if (marker === 0xda) break; // start of scan: entropy-coded data follows
  }
  for (let i = b.length - 2; i >= at; i--) if (b[i] === 0xff && b[i + 1] === 0xd9) return;
  failAt(op, src, b.length, 'the JPEG end-of-image marker ff d9', `end of data (file of ${b.length} bytes, truncated)`);
}

/** Unpacks 1/2/4-bit grey rows (PNG packs them MSB first, each row byte-aligned) to bytes 0–255. */
function unpackGrey(data: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const max = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const v = (data[y * rowBytes + (bit >> 3)]! >> (8 - depth - (bit & 7))) & max;
      out[y * width + x] = Math.round((v * 255) / max);
    }
  }
  return out;
}

async function decodePngPixels(op: string, src: string, bytes: Uint8Array): Promise<DecodedImage | { data: Uint8Array; height: number; width: number; channels: 2 }> {
  checkPngChunks(op, src, bytes);
  const png = await import('fast-png');
  let img;
  try {
    img = png.decode(bytes);
  } catch (e) {
    return failAt(op, src, 8, 'a decodable PNG', `'${(e as Error).message}'`);
  }
  const { width, height } = img;
  if (img.palette) {
    const rgb = png.convertIndexedToRgb(img);
    return { data: rgb, width, height, channels: rgb.length === width * height * 4 ? 4 : 3 };
  }
  let data: Uint8Array;
  if (img.depth === 16) data = Uint8Array.from(img.data as Uint16Array, (v) => v >> 8);
  else if (img.depth < 8) data = unpackGrey(img.data as Uint8Array, width, height, img.depth);
  else data = img.data instanceof Uint8Array ? img.data : Uint8Array.from(img.data);
  return { data, width, height, channels: img.channels as 1 | 2 | 3 | 4 };
}

async function decodeJpegPixels(op: string, src: string, bytes: Uint8Array): Promise<DecodedImage> {
  checkJpegSegments(op, src, bytes);
  const jpeg = await import('jpeg-js');
  const decode = (jpeg as unknown as { default?: typeof jpeg }).default?.decode ?? jpeg.decode;
  try {
    const img = decode(bytes, { useTArray: true, formatAsRGBA: false });
    return { data: img.data, width: img.width, height: img.height, channels: 3 };
  } catch (e) {
    return failAt(op, src, 0, 'a decodable baseline or progressive JPEG', `'${(e as Error).message}'`);
  }
}

/** Converts interleaved pixels between 1 (grey), 2 (grey + alpha), 3 (RGB) and 4 (RGBA) channels. */
function convertChannels(data: Uint8Array, from: number, to: 1 | 3 | 4, pixels: number): Uint8Array {
  if (from === to) return data;
  const out = new Uint8Array(pixels * to);
  for (let p = 0; p < pixels; p++) {
    const s = p * from;
    const grey = from <= 2;
    const r = data[s]!;
    const g = grey ? r : data[s + 1]!;
    const b = grey ? r : data[s + 2]!;
    const a = from === 2 ? data[s + 1]! : from === 4 ? data[s + 3]! : 255;
    if (to === 1) out[p] = grey ? r : Math.round((r * 299 + g * 587 + b * 114) / 1000);
    else {
      out[p * to] = r;
      out[p * to + 1] = g;
      out[p * to + 2] = b;
      if (to === 4) out[p * to + 3] = a;
    }
  }
  return out;
}

/**
 * Decodes a PNG (any bit depth, grey, palette, alpha, interlaced) or a JPEG
 * (baseline or progressive) from its bytes, in pure JavaScript (`fast-png`,
 * `jpeg-js`; loaded on first use), so it works in browsers and Node alike. The
 * format is recognised by its signature. A malformed file throws a
 * {@link FoveaError} naming the file and byte offset (unknown signature, a
 * truncated chunk or segment, a missing end marker, undecodable data).
 *
 * @param bytes the file's bytes.
 * @returns `[H, W, C]` bytes with the requested channels.
 * @example
 * ```ts
 * import { decodeImage } from '@fovea/core';
 * // const img = await decodeImage(pngBytes, { channels: 3, source: 'cat.png' });
 * // img.data: H·W·3 bytes, img.height, img.width
 * ```
 * @category Readers
 */
export async function decodeImage(bytes: Uint8Array, opts: DecodeImageOptions = {}): Promise<DecodedImage> {
  const op = 'decodeImage';
  const src = opts.source ?? 'image data';
  const channels = opts.channels ?? 3;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new FoveaError({ op, arg: 'opts.channels', expected: '1, 3 or 4', got: String(channels) });
  }
  bytes = asBytes(op, 'bytes', bytes);
  let img;
  if (bytes.length >= 8 && PNG_SIGNATURE.every((v, i) => bytes[i] === v)) img = await decodePngPixels(op, src, bytes);
  else if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) img = await decodeJpegPixels(op, src, bytes);
  else return failAt(op, src, 0, 'a PNG (89 50 4e 47) or JPEG (ff d8 ff) signature', hex(bytes, 0, 4));
  const data = convertChannels(img.data, img.channels, channels, img.width * img.height);
  return { data, width: img.width, height: img.height, channels };
}
