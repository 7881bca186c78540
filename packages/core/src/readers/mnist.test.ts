import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FoveaError } from '../errors/fovea-error.js';
import { decodeIdx, readIdx } from './idx.js';
import { decodeMnist, readMnist } from './mnist.js';

/** An IDX file: magic 00 00 type nd, big-endian dims, big-endian values. */
function idx(type: number, shape: number[], values: number[]): Uint8Array {
  const size = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[type]!;
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * shape.length + n * size);
  const v = new DataView(out.buffer);
  out.set([0, 0, type, shape.length]);
  shape.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  const at = 4 + 4 * shape.length;
  values.forEach((x, i) => {
    if (type === 0x08) v.setUint8(at + i, x);
    else if (type === 0x09) v.setInt8(at + i, x);
    else if (type === 0x0b) v.setInt16(at + 2 * i, x, false);
    else if (type === 0x0c) v.setInt32(at + 4 * i, x, false);
    else if (type === 0x0d) v.setFloat32(at + 4 * i, x, false);
    else v.setFloat64(at + 8 * i, x, false);
  });
  return out;
}

// two 2×3 "images" and their labels
const pixels = [0, 255, 51, 102, 153, 204, 1, 2, 3, 4, 5, 6];
const imageFile = idx(0x08, [2, 2, 3], pixels);
const labelFile = idx(0x08, [2], [7, 3]);

describe('decodeIdx', () => {
  it('decodes every IDX element type, big-endian', () => {
    expect(decodeIdx(idx(0x0b, [2], [-2, 300]))).toEqual({ dtype: 'int16', shape: [2], data: Int16Array.from([-2, 300]) });
    expect(decodeIdx(idx(0x0c, [1, 2], [-70000, 5])).data).toEqual(Int32Array.from([-70000, 5]));
    expect(decodeIdx(idx(0x0d, [2], [1.5, -0.25])).data).toEqual(Float32Array.from([1.5, -0.25]));
    expect(decodeIdx(idx(0x0e, [1], [Math.PI])).data).toEqual(Float64Array.from([Math.PI]));
    expect(decodeIdx(idx(0x09, [2], [-1, 1])).data).toEqual(Int8Array.from([-1, 1]));
    expect(decodeIdx(idx(0x08, [0, 28, 28], [])).shape).toEqual([0, 28, 28]);
  });

  it('names the file and byte offset of a malformed file', () => {
    const bad = (b: Uint8Array) => () => decodeIdx(b, { source: 'x.idx' });
    expect(bad(Uint8Array.from([1, 0, 8, 1]))).toThrow('decodeIdx: x.idx at byte 0 must be an IDX magic number 00 00 TT DD, got 01 00 08 01');
    expect(bad(Uint8Array.from([0, 0, 7, 1]))).toThrow('decodeIdx: x.idx at byte 2 must be an IDX type byte (08, 09, 0b, 0c, 0d or 0e), got 07');
    expect(bad(Uint8Array.from([0, 0]))).toThrow('decodeIdx: x.idx at byte 2 must be a 4-byte IDX magic number, got end of data (file of 2 bytes, truncated)');
    expect(bad(imageFile.slice(0, 10))).toThrow('decodeIdx: x.idx at byte 10 must be 3 big-endian uint32 dimensions (a 16-byte header)');
    expect(bad(imageFile.slice(0, 20))).toThrow('decodeIdx: x.idx at byte 20 must be 12 data bytes for shape [2, 2, 3] of uint8 (a 28-byte file), got end of data (file of 20 bytes, truncated)');
    const long = new Uint8Array(30);
    long.set(imageFile);
    expect(bad(long)).toThrow('decodeIdx: x.idx at byte 28 must be the end of the file (shape [2, 2, 3] of uint8 ends here), got 2 more bytes: dims that do not match the size');
    expect(bad(gzipSync(imageFile))).toThrow(/gzip data \(1f 8b\): gunzip it first/);
    expect(bad(imageFile.slice(0, 3))).toThrow(FoveaError);
  });
});

describe('decodeMnist / readMnist', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fovea-mnist-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes images to [N, H, W, 1] in [0, 1] and int32 labels', () => {
    const { images, labels } = decodeMnist(imageFile, labelFile);
    expect(images.shape).toEqual([2, 2, 3, 1]);
    expect(Array.from(images.dataSync()).slice(0, 6)).toEqual([0, 1, 0.2, 0.4, 0.6, 0.8].map((v) => Math.fround(v)));
    expect(Array.from(labels.dataSync())).toEqual([7, 3]);
    tf.dispose([images, labels]);
    const arr = decodeMnist(imageFile, labelFile, { format: 'array' });
    expect(arr.shape).toEqual([2, 2, 3, 1]);
    expect(Array.from(arr.images)).toEqual(pixels);
  });

  it('reads plain and gzipped files from disk', async () => {
    await writeFile(join(dir, 'img'), imageFile);
    await writeFile(join(dir, 'lbl.gz'), gzipSync(labelFile));
    const { images, labels } = await readMnist(join(dir, 'img'), join(dir, 'lbl.gz'));
    expect(images.shape).toEqual([2, 2, 3, 1]);
    expect(Array.from(labels.dataSync())).toEqual([7, 3]);
    tf.dispose([images, labels]);
    expect((await readIdx(join(dir, 'lbl.gz'))).shape).toEqual([2]);
    await expect(readMnist(join(dir, 'missing'), join(dir, 'img'))).rejects.toThrow(/readMnist: .*missing must be a readable file, got ENOENT/);
  });

  it('rejects swapped files, labels out of range and mismatched counts', async () => {
    expect(() => decodeMnist(labelFile, imageFile, { imagesSource: 'a', labelsSource: 'b' })).toThrow(
      'decodeMnist: a at byte 2 must be MNIST images magic 00 00 08 03 (uint8, 3 dims), got 00 00 08 01',
    );
    expect(() => decodeMnist(imageFile, idx(0x08, [2], [7, 12]), { labelsSource: 'l.idx' })).toThrow(
      'decodeMnist: l.idx at byte 9 must be a label in [0, 10), got 12',
    );
    expect(() => decodeMnist(imageFile, idx(0x08, [3], [1, 2, 3]), { labelsSource: 'l.idx', imagesSource: 'i.idx' })).toThrow(
      'decodeMnist: l.idx at byte 4 must be 2 labels (as many as images in i.idx), got 3',
    );
    await writeFile(join(dir, 'trunc'), imageFile.slice(0, 27));
    await expect(readMnist(join(dir, 'trunc'), join(dir, 'lbl.gz'))).rejects.toThrow(/trunc at byte 27 must be 12 data bytes/);
  });
});
