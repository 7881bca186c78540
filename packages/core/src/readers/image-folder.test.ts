import * as tf from '@tensorflow/tfjs-core';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLoader } from '../data/data-loader.js';
import { decodeImage } from './decode-image.js';
import { ImageFolder } from './image-folder.js';

/** An RGB test pattern: pixel (y, x) = (10·y, 20·x, 100). */
function pattern(h: number, w: number): Uint8Array {
  const d = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d.set([10 * y, 20 * x, 100], (y * w + x) * 3);
  return d;
}

const png = (h: number, w: number) => encodePng({ width: w, height: h, data: pattern(h, w), channels: 3, depth: 8 });
const jpg = (h: number, w: number) => {
  const rgba = new Uint8Array(h * w * 4);
  const rgb = pattern(h, w);
  for (let p = 0; p < h * w; p++) rgba.set([rgb[3 * p]!, rgb[3 * p + 1]!, rgb[3 * p + 2]!, 255], 4 * p);
  return new Uint8Array(jpeg.encode({ width: w, height: h, data: rgba }, 100).data);
};

describe('decodeImage', () => {
  it('decodes PNG exactly and JPEG closely, with channel conversion', async () => {
    const p = await decodeImage(png(4, 5));
    expect([p.height, p.width, p.channels]).toEqual([4, 5, 3]);
    expect(Array.from(p.data)).toEqual(Array.from(pattern(4, 5)));
    const grey = await decodeImage(png(4, 5), { channels: 1 });
    // luma of (10, 20, 100) at (1, 1): (10·299 + 20·587 + 100·114) / 1000 = 26.13
    expect(grey.data[1 * 5 + 1]).toBe(26);
    const rgba = await decodeImage(png(2, 2), { channels: 4 });
    expect(Array.from(rgba.data.subarray(0, 4))).toEqual([0, 0, 100, 255]);
    const g16 = encodePng({ width: 2, height: 1, data: Uint16Array.from([0, 65535]), channels: 1, depth: 16 });
    expect(Array.from((await decodeImage(g16)).data)).toEqual([0, 0, 0, 255, 255, 255]);
    const j = await decodeImage(jpg(8, 8));
    expect([j.height, j.width, j.channels]).toEqual([8, 8, 3]);
    const want = pattern(8, 8);
    const err = Math.max(...Array.from(j.data, (v, i) => Math.abs(v - want[i]!)));
    expect(err).toBeLessThan(12);
  });

  it('names the file and byte offset of a malformed image', async () => {
    await expect(decodeImage(Uint8Array.from([1, 2, 3, 4]), { source: 'a.png' })).rejects.toThrow(
      'decodeImage: a.png at byte 0 must be a PNG (89 50 4e 47) or JPEG (ff d8 ff) signature, got 01 02 03 04',
    );
    const p = png(4, 5);
    await expect(decodeImage(p.subarray(0, 45), { source: 'a.png' })).rejects.toThrow(/a\.png at byte 33 must be a complete '\w+' chunk of \d+ bytes, got end of data \(file of 45 bytes, truncated\)/);
    await expect(decodeImage(p.subarray(0, p.length - 12), { source: 'a.png' })).rejects.toThrow(/at byte \d+ must be a PNG chunk header \(IEND not reached\)/);
    const j = jpg(8, 8);
    await expect(decodeImage(j.subarray(0, j.length - 2), { source: 'b.jpg' })).rejects.toThrow(
      `decodeImage: b.jpg at byte ${j.length - 2} must be the JPEG end-of-image marker ff d9`,
    );
    await expect(decodeImage(j.subarray(0, 30), { source: 'b.jpg' })).rejects.toThrow(/b\.jpg at byte \d+ must be a complete JPEG segment/);
  });
});

describe('ImageFolder', () => {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'fovea-folder-'));
    await mkdir(join(root, 'dog', 'nested'), { recursive: true });
    await mkdir(join(root, 'cat'));
    await mkdir(join(root, 'empty'));
    await writeFile(join(root, 'cat', 'b.png'), png(4, 5));
    await writeFile(join(root, 'cat', 'a.JPG'), jpg(4, 5));
    await writeFile(join(root, 'cat', 'notes.txt'), 'not an image');
    await writeFile(join(root, 'dog', 'nested', 'c.png'), png(6, 6));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('scans class folders like torchvision and rejects an empty class', async () => {
    await expect(ImageFolder.fromDirectory(root)).rejects.toThrow(/ImageFolder.fromDirectory: .*empty must be at least one image \(.png, .jpg, .jpeg\), got none/);
    await rm(join(root, 'empty'), { recursive: true });
    const ds = await ImageFolder.fromDirectory(root);
    expect(ds.classes).toEqual(['cat', 'dog']);
    expect(ds.classToIdx).toEqual({ cat: 0, dog: 1 });
    expect(ds.samples.map((s) => [s.path.slice(root.length + 1), s.label])).toEqual([
      ['cat/a.JPG', 0],
      ['cat/b.png', 0],
      ['dog/nested/c.png', 1],
    ]);
    const { image, label } = await ds.get(1);
    expect(image.shape).toEqual([4, 5, 3]);
    expect(label).toBe(0);
    expect(image.dataSync()[(2 * 5 + 3) * 3 + 1]).toBeCloseTo(60 / 255, 6);
    image.dispose();
    await expect(ds.load()).rejects.toThrow(/ImageFolder.load: .*c\.png must be 4×5 pixels like .*a\.JPG \(or set opts\.size\), got 6×6/);
  });

  it('resizes to a common size, batches through a DataLoader, and loads all', async () => {
    const ds = await ImageFolder.fromDirectory(root, { size: 3, channels: 1 });
    const shapes: number[][] = [];
    for await (const { image, label } of new DataLoader(ds, { batchSize: 2 })) {
      shapes.push(image.shape);
      expect(label.dtype).toBe('int32');
      tf.dispose([image, label]);
    }
    expect(shapes).toEqual([[2, 3, 3, 1], [1, 3, 3, 1]]);
    const all = await ds.load();
    expect(all.images.shape).toEqual([3, 3, 3, 1]);
    expect(Array.from(all.labels.dataSync())).toEqual([0, 0, 1]);
    tf.dispose([all.images, all.labels]);
  });

  it('builds from in-memory files (browser folder pickers)', async () => {
    const ds = ImageFolder.fromFiles([
      { path: 'set/zebra/1.png', bytes: png(2, 2) },
      { path: 'set/ant/x.png', bytes: png(2, 2) },
      { path: 'set/ant/readme.md', bytes: new Uint8Array(1) },
    ]);
    expect(ds.classes).toEqual(['ant', 'zebra']);
    expect(ds.samples).toEqual([
      { path: 'set/ant/x.png', label: 0 },
      { path: 'set/zebra/1.png', label: 1 },
    ]);
    const { image } = await ds.get(1);
    expect(image.shape).toEqual([2, 2, 3]);
    image.dispose();
    const broken = ImageFolder.fromFiles([{ path: 'a/1.png', bytes: png(2, 2).subarray(0, 20) }]);
    await expect(broken.get(0)).rejects.toThrow(/decodeImage: a\/1\.png at byte 8 must be a complete 'IHDR' chunk/);
  });
});
