import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf } from '../validate/values.js';
import { asBytes, bytesToImages, failAt, readFileBytes } from './_internal/bytes.js';
import type { LabeledImageArrays, LabeledImages, ReaderFormat } from './labeled-images.js';

/**
 * CIFAR-10's class names, in label order (`batches.meta.txt`).
 *
 * @category Readers
 */
export const CIFAR10_CLASSES: readonly string[] = [
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
];

/** Which CIFAR binary layout: CIFAR-10 (1 label byte) or CIFAR-100 (coarse and fine label bytes). @category Readers */
export type CifarVariant = 'cifar10' | 'cifar100';

/** Options for {@link decodeCifar} and {@link readCifar}. @category Readers */
export interface CifarOptions {
  /** `'cifar10'` (default: records of 1 + 3072 bytes) or `'cifar100'` (2 + 3072 bytes: coarse, fine). */
  variant?: CifarVariant;
  /** `'tensor'` (default) or `'array'` (bytes 0–255, no tensors made). */
  format?: ReaderFormat;
  /** The file's name, for error messages (default `'CIFAR data'`). */
  source?: string;
}

/** CIFAR images and labels as tensors; CIFAR-100 adds the coarse (superclass) labels. @category Readers */
export interface CifarImages extends LabeledImages {
  /** CIFAR-100 only: `[N]` int32 superclass labels 0–19. */
  coarseLabels?: tf.Tensor1D;
}

/** CIFAR images and labels as typed arrays. @category Readers */
export interface CifarImageArrays extends LabeledImageArrays {
  /** CIFAR-100 only: `N` superclass labels 0–19. */
  coarseLabels?: Int32Array;
}

const PIXELS = 32 * 32;

/**
 * Decodes a CIFAR-10 or CIFAR-100 binary batch (`data_batch_1.bin`,
 * `test_batch.bin`, `train.bin`, …): records of the label byte(s) followed by
 * 3,072 bytes of a 32×32 image as three planes R, G, B (CHW), converted here
 * to NHWC. For CIFAR-100 `labels` are the fine labels (0–99) and
 * `coarseLabels` the superclasses (0–19). A malformed file throws a
 * {@link FoveaError} naming the file and byte offset (a truncated record, a
 * label out of range).
 *
 * @param bytes the batch file's bytes (several batches may be concatenated).
 * @returns `images` `[N, 32, 32, 3]` float32 in `[0, 1]` and `labels` `[N]`
 *   int32 (owned by the caller), or with `format: 'array'` the bytes and labels.
 * @example
 * ```ts
 * import { decodeCifar } from '@fovea/core';
 * const record = new Uint8Array(3073); // one CIFAR-10 record: label 0, a black image
 * const { images, labels } = decodeCifar(record);
 * images.shape; // [1, 32, 32, 3]
 * ```
 * @category Readers
 */
export function decodeCifar(bytes: Uint8Array, opts?: CifarOptions & { format?: 'tensor' }): CifarImages;
export function decodeCifar(bytes: Uint8Array, opts: CifarOptions & { format: 'array' }): CifarImageArrays;
export function decodeCifar(bytes: Uint8Array, opts: CifarOptions = {}): CifarImages | CifarImageArrays {
  const op = 'decodeCifar';
  const variant = checkOneOf(op, 'opts.variant', opts.variant ?? 'cifar10', ['cifar10', 'cifar100'] as const);
  const format = checkOneOf(op, 'opts.format', opts.format ?? 'tensor', ['tensor', 'array'] as const);
  const src = opts.source ?? 'CIFAR data';
  bytes = asBytes(op, 'bytes', bytes);
  const nLabels = variant === 'cifar10' ? 1 : 2;
  const rec = nLabels + 3 * PIXELS;
  const n = Math.floor(bytes.length / rec);
  if (bytes.length !== n * rec) {
    failAt(op, src, n * rec, `a complete ${rec}-byte ${variant === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100'} record`, `${bytes.length - n * rec} bytes (truncated record ${n})`);
  }
  const images = new Uint8Array(n * 3 * PIXELS);
  const labels = new Int32Array(n);
  const coarse = variant === 'cifar100' ? new Int32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const base = i * rec;
    if (coarse) {
      if (bytes[base]! >= 20) failAt(op, src, base, 'a CIFAR-100 coarse label in [0, 20)', String(bytes[base]));
      coarse[i] = bytes[base]!;
    }
    const label = bytes[base + nLabels - 1]!;
    const numClasses = variant === 'cifar10' ? 10 : 100;
    if (label >= numClasses) failAt(op, src, base + nLabels - 1, `a label in [0, ${numClasses})`, String(label));
    labels[i] = label;
    const px = base + nLabels;
    const out = i * 3 * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      images[out + 3 * p] = bytes[px + p]!; // R plane
      images[out + 3 * p + 1] = bytes[px + PIXELS + p]!; // G plane
      images[out + 3 * p + 2] = bytes[px + 2 * PIXELS + p]!; // B plane
    }
  }
  const shape: [number, number, number, number] = [n, 32, 32, 3];
  if (format === 'array') return { images, shape, labels, ...(coarse ? { coarseLabels: coarse } : {}) };
  return {
    images: bytesToImages(images, shape),
    labels: tf.tensor1d(labels, 'int32'),
    ...(coarse ? { coarseLabels: tf.tensor1d(coarse, 'int32') } : {}),
  };
}

/**
 * Reads CIFAR binary batch files (Node only) and decodes them as one set, in
 * the order given — e.g. the five `data_batch_*.bin` files of CIFAR-10's
 * training set. See {@link decodeCifar}.
 *
 * @param paths one file or a list of files of the same variant.
 * @example
 * ```ts
 * import { readCifar } from '@fovea/core';
 * const test = await readCifar('cifar-10-batches-bin/test_batch.bin');
 * test.images.shape; // [10000, 32, 32, 3]
 * const train100 = await readCifar('cifar-100-binary/train.bin', { variant: 'cifar100' });
 * ```
 * @category Readers
 */
export async function readCifar(paths: string | readonly string[], opts?: Omit<CifarOptions, 'source'> & { format?: 'tensor' }): Promise<CifarImages>;
export async function readCifar(paths: string | readonly string[], opts: Omit<CifarOptions, 'source'> & { format: 'array' }): Promise<CifarImageArrays>;
export async function readCifar(paths: string | readonly string[], opts: Omit<CifarOptions, 'source'> = {}): Promise<CifarImages | CifarImageArrays> {
  const list = typeof paths === 'string' ? [paths] : [...paths];
  const files = await Promise.all(list.map((p) => readFileBytes('readCifar', p)));
  // decode each file on its own first, so an error names the right file and offset
  const parts = files.map((b, i) => decodeCifar(b, { ...opts, format: 'array', source: list[i]! }));
  const n = parts.reduce((s, p) => s + p.labels.length, 0);
  const images = new Uint8Array(n * 3 * PIXELS);
  const labels = new Int32Array(n);
  const coarse = opts.variant === 'cifar100' ? new Int32Array(n) : undefined;
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * 3 * PIXELS);
    labels.set(p.labels, at);
    if (coarse && p.coarseLabels) coarse.set(p.coarseLabels, at);
    at += p.labels.length;
  }
  const shape: [number, number, number, number] = [n, 32, 32, 3];
  if (opts.format === 'array') return { images, shape, labels, ...(coarse ? { coarseLabels: coarse } : {}) };
  return {
    images: bytesToImages(images, shape),
    labels: tf.tensor1d(labels, 'int32'),
    ...(coarse ? { coarseLabels: tf.tensor1d(coarse, 'int32') } : {}),
  };
}
