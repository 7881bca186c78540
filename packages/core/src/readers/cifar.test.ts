import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCifar, readCifar, CIFAR10_CLASSES } from './cifar.js';

/** A CIFAR record: label byte(s), then R, G, B planes of 32×32 where pixel (y, x) of plane c is (c·50 + y + x) mod 256. */
function record(labels: number[], seed = 0): Uint8Array {
  const out = new Uint8Array(labels.length + 3072);
  out.set(labels);
  for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[labels.length + c * 1024 + y * 32 + x] = (c * 50 + y + x + seed) % 256;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('decodeCifar', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fovea-cifar-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('turns CIFAR-10 CHW records into NHWC images and labels', () => {
    const bytes = concat([record([3]), record([9], 7)]);
    const a = decodeCifar(bytes, { format: 'array' });
    expect(a.shape).toEqual([2, 32, 32, 3]);
    expect(Array.from(a.labels)).toEqual([3, 9]);
    // pixel (y=2, x=5) of image 1: R = 0+2+5+7, G = 50+14, B = 100+14
    const at = 1 * 3072 + (2 * 32 + 5) * 3;
    expect(Array.from(a.images.subarray(at, at + 3))).toEqual([14, 64, 114]);
    const t = decodeCifar(bytes);
    expect(t.images.shape).toEqual([2, 32, 32, 3]);
    expect(t.images.dataSync()[at + 1]).toBeCloseTo(64 / 255, 6);
    expect(t.coarseLabels).toBeUndefined();
    tf.dispose([t.images, t.labels]);
    expect(CIFAR10_CLASSES[3]).toBe('cat');
    expect(decodeCifar(new Uint8Array(0), { format: 'array' }).shape).toEqual([0, 32, 32, 3]);
  });

  it('reads CIFAR-100 fine and coarse labels, and several batch files', async () => {
    const bytes = concat([record([4, 99]), record([19, 0])]);
    const t = decodeCifar(bytes, { variant: 'cifar100' });
    expect(Array.from(t.labels.dataSync())).toEqual([99, 0]);
    expect(Array.from(t.coarseLabels!.dataSync())).toEqual([4, 19]);
    tf.dispose([t.images, t.labels, t.coarseLabels!]);
    await writeFile(join(dir, 'data_batch_1.bin'), concat([record([1]), record([2])]));
    await writeFile(join(dir, 'data_batch_2.bin'), record([5]));
    const both = await readCifar([join(dir, 'data_batch_1.bin'), join(dir, 'data_batch_2.bin')], { format: 'array' });
    expect(Array.from(both.labels)).toEqual([1, 2, 5]);
    expect(both.shape).toEqual([3, 32, 32, 3]);
  });

  it('names the file and byte offset of a truncated record or a bad label', async () => {
    expect(() => decodeCifar(concat([record([1]), record([2]).subarray(0, 100)]), { source: 'b.bin' })).toThrow(
      'decodeCifar: b.bin at byte 3073 must be a complete 3073-byte CIFAR-10 record, got 100 bytes (truncated record 1)',
    );
    expect(() => decodeCifar(concat([record([1]), record([10])]), { source: 'b.bin' })).toThrow(
      'decodeCifar: b.bin at byte 3073 must be a label in [0, 10), got 10',
    );
    expect(() => decodeCifar(record([20, 5]), { variant: 'cifar100', source: 'c.bin' })).toThrow(
      'decodeCifar: c.bin at byte 0 must be a CIFAR-100 coarse label in [0, 20), got 20',
    );
    expect(() => decodeCifar(record([2, 100]), { variant: 'cifar100', source: 'c.bin' })).toThrow(
      'decodeCifar: c.bin at byte 1 must be a label in [0, 100), got 100',
    );
    await writeFile(join(dir, 'bad.bin'), record([1]).subarray(0, 3000));
    await expect(readCifar([join(dir, 'data_batch_2.bin'), join(dir, 'bad.bin')])).rejects.toThrow(/bad\.bin at byte 0 must be a complete 3073-byte/);
  });
});
