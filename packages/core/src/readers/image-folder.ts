import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkIndex, type Dataset } from '../data/dataset.js';
import { checkPair, describeValue } from '../validate/values.js';
import { readFileBytes } from './_internal/bytes.js';
import { decodeImage } from './decode-image.js';
import type { LabeledImages } from './labeled-images.js';

/** Options for {@link ImageFolder}. @category Readers */
export interface ImageFolderOptions {
  /** Channels of every image: 3 (default, RGB), 1 (grey) or 4 (RGBA); see {@link decodeImage}. */
  channels?: 1 | 3 | 4;
  /**
   * Resize every image to `[H, W]` (or `S` for `[S, S]`) with bilinear
   * interpolation (half-pixel centres, no antialiasing) so that images of
   * different sizes can be batched. Default: keep each image's size.
   */
  size?: number | [number, number];
  /** File extensions to include, case-insensitive (default `['.png', '.jpg', '.jpeg']`). */
  extensions?: readonly string[];
}

/** One sample of an {@link ImageFolder}. @category Readers */
export interface ImageFolderSample {
  /** `[H, W, C]` float32 in `[0, 1]`, owned by the caller. */
  image: tf.Tensor3D;
  /** Class index (position of the class folder in sorted order). */
  label: number;
}

/** A file of an {@link ImageFolder}: where it is and its class. @category Readers */
export interface ImageFolderEntry {
  /** The file's path (on disk, or as given to {@link ImageFolder.fromFiles}). */
  path: string;
  /** Class index. */
  label: number;
}

const DEFAULT_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

function hasExtension(name: string, exts: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return exts.some((e) => lower.endsWith(e.toLowerCase()));
}

/**
 * A class-per-folder image dataset, as torchvision's `ImageFolder`:
 * `root/<class>/**\/<image>.png|jpg`, classes sorted by name and numbered from
 * 0, files sorted within each class. Images are decoded on demand (PNG/JPEG
 * in pure JavaScript, see {@link decodeImage}) into `[H, W, C]` float32 tensors
 * in `[0, 1]`. Build it from a directory in Node with
 * {@link ImageFolder.fromDirectory}, or from file bytes anywhere (a browser's
 * folder picker) with {@link ImageFolder.fromFiles}. A malformed image throws
 * a {@link FoveaError} naming the file and byte offset.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DataLoader, ImageFolder } from '@fovea/core';
 * const ds = await ImageFolder.fromDirectory('data/shapes/train', { size: [64, 64] });
 * ds.classes; // e.g. ['circle', 'square', 'triangle']
 * for await (const { image, label } of new DataLoader(ds, { batchSize: 16, shuffle: true })) {
 *   // image: `[16, 64, 64, 3]`, label: `[16]` int32
 *   tf.dispose([image, label]);
 * }
 * ```
 * @category Readers
 */
export class ImageFolder implements Dataset<ImageFolderSample> {
  /** Class names (folder names), sorted. */
  readonly classes: string[];
  /** Class name → index. */
  readonly classToIdx: Record<string, number>;
  /** Every image file with its class, class by class. */
  readonly samples: ImageFolderEntry[];
  private readonly read: (path: string) => Promise<Uint8Array>;
  private readonly channels: 1 | 3 | 4;
  private readonly size: [number, number] | undefined;

  /**
   * Low-level constructor: classes, entries, and a function that returns a
   * file's bytes. Prefer {@link ImageFolder.fromDirectory} or {@link ImageFolder.fromFiles}.
   */
  constructor(classes: string[], samples: ImageFolderEntry[], read: (path: string) => Promise<Uint8Array>, opts: ImageFolderOptions = {}) {
    const op = 'ImageFolder';
    if (opts.channels !== undefined && ![1, 3, 4].includes(opts.channels)) {
      throw new FoveaError({ op, arg: 'opts.channels', expected: '1, 3 or 4', got: describeValue(opts.channels) });
    }
    this.size = opts.size === undefined ? undefined : checkPair(op, 'opts.size', opts.size, { integer: true, min: 1 });
    this.channels = opts.channels ?? 3;
    this.classes = [...classes];
    this.classToIdx = Object.fromEntries(classes.map((c, i) => [c, i]));
    samples.forEach((s, i) => {
      if (!Number.isInteger(s.label) || s.label < 0 || s.label >= classes.length) {
        throw new FoveaError({ op, arg: `samples[${i}].label`, expected: `a class index in [0, ${classes.length})`, got: describeValue(s.label) });
      }
    });
    this.samples = samples;
    this.read = read;
  }

  /**
   * Scans `root` (Node only): each sub-folder is a class, and every file with
   * an accepted extension below it (recursively) is a sample. Throws a
   * {@link FoveaError} when `root` has no class folders or a class folder has
   * no images (as torchvision does).
   */
  static async fromDirectory(root: string, opts: ImageFolderOptions = {}): Promise<ImageFolder> {
    const fs = await import('node:fs/promises');
    const path = await import('node:path');
    const exts = opts.extensions ?? DEFAULT_EXTENSIONS;
    let entries;
    try {
      entries = await fs.readdir(root, { withFileTypes: true });
    } catch (e) {
      throw new FoveaError({ op: 'ImageFolder.fromDirectory', arg: root, expected: 'a readable folder', got: (e as NodeJS.ErrnoException).code ?? String(e) });
    }
    const classes = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
    if (classes.length === 0) {
      throw new FoveaError({ op: 'ImageFolder.fromDirectory', arg: root, expected: 'a folder with one sub-folder per class', got: 'no sub-folders' });
    }
    const walk = async (dir: string): Promise<string[]> => {
      const items = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const files: string[] = [];
      for (const it of items) {
        const full = path.join(dir, it.name);
        if (it.isDirectory()) files.push(...(await walk(full)));
        else if (hasExtension(it.name, exts)) files.push(full);
      }
      return files;
    };
    const samples: ImageFolderEntry[] = [];
    for (let c = 0; c < classes.length; c++) {
      const files = await walk(path.join(root, classes[c]!));
      if (files.length === 0) {
        throw new FoveaError({ op: 'ImageFolder.fromDirectory', arg: path.join(root, classes[c]!), expected: `at least one image (${exts.join(', ')})`, got: 'none' });
      }
      for (const f of files) samples.push({ path: f, label: c });
    }
    return new ImageFolder(classes, samples, (p) => readFileBytes('ImageFolder.get', p), opts);
  }

  /**
   * Builds the dataset from files already in memory (e.g. from a browser's
   * `<input type="file" webkitdirectory>`): each path's first folder below
   * the common root is its class (`'train/cat/1.png'` → class `'cat'` when
   * all paths start with `train/`; `'cat/1.png'` → `'cat'`).
   */
  static fromFiles(files: readonly { path: string; bytes: Uint8Array }[], opts: ImageFolderOptions = {}): ImageFolder {
    const op = 'ImageFolder.fromFiles';
    const exts = opts.extensions ?? DEFAULT_EXTENSIONS;
    const kept = files.filter((f) => hasExtension(f.path, exts)).map((f) => ({ parts: f.path.split(/[\\/]+/).filter(Boolean), f }));
    if (kept.length === 0) throw new FoveaError({ op, arg: 'files', expected: `image files (${exts.join(', ')}) in class folders`, got: `${files.length} files, none an image` });
    // drop the leading folders that every path shares, then the next folder is the class
    let common = 0;
    while (kept.every((k) => k.parts.length > common + 2 && k.parts[common] === kept[0]!.parts[common])) common++;
    const bad = kept.find((k) => k.parts.length < common + 2);
    if (bad) throw new FoveaError({ op, arg: `files '${bad.f.path}'`, expected: 'a path <class>/<file>', got: 'no class folder' });
    const classes = [...new Set(kept.map((k) => k.parts[common]!))].sort();
    const byPath = new Map(kept.map((k) => [k.f.path, k.f.bytes]));
    const samples = kept
      .map((k) => ({ path: k.f.path, label: classes.indexOf(k.parts[common]!) }))
      .sort((a, b) => a.label - b.label || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return new ImageFolder(classes, samples, async (p) => byPath.get(p)!, opts);
  }

  get length(): number {
    return this.samples.length;
  }

  /** Decodes sample `index`: `{ image: [H, W, C] float32 in [0, 1], label }`. */
  async get(index: number): Promise<ImageFolderSample> {
    checkIndex('ImageFolder.get', index, this.length);
    const { path, label } = this.samples[index]!;
    const img = await decodeImage(await this.read(path), { channels: this.channels, source: path });
    const image = tf.tidy(() => {
      const x = tf.div(tf.tensor3d(Int32Array.from(img.data), [img.height, img.width, img.channels], 'int32'), 255) as tf.Tensor3D;
      return this.size ? tf.image.resizeBilinear(x, this.size, false, true) : x;
    });
    return { image, label };
  }

  /**
   * Decodes every image into one batch: `images` `[N, H, W, C]` float32 in
   * `[0, 1]` and `labels` `[N]` int32 (owned by the caller). The images must
   * share one size, or `size` must be set.
   */
  async load(): Promise<LabeledImages> {
    const parts: tf.Tensor3D[] = [];
    try {
      for (let i = 0; i < this.length; i++) {
        const { image } = await this.get(i);
        parts.push(image);
        const first = parts[0]!;
        if (image.shape[0] !== first.shape[0] || image.shape[1] !== first.shape[1]) {
          throw new FoveaError({
            op: 'ImageFolder.load',
            arg: this.samples[i]!.path,
            expected: `${first.shape[0]}×${first.shape[1]} pixels like ${this.samples[0]!.path} (or set opts.size)`,
            got: `${image.shape[0]}×${image.shape[1]}`,
          });
        }
      }
      const images = this.length === 0 ? tf.zeros([0, 1, 1, this.channels]) : tf.stack(parts);
      return { images: images as tf.Tensor4D, labels: tf.tensor1d(this.samples.map((s) => s.label), 'int32') };
    } finally {
      tf.dispose(parts);
    }
  }
}
