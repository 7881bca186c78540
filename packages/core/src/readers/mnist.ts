import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { checkOneOf } from '../validate/values.js';
import { asBytes, bytesToImages, failAt, readMaybeGzip } from './_internal/bytes.js';
import { decodeIdx } from './idx.js';
import type { LabeledImageArrays, LabeledImages, ReaderFormat } from './labeled-images.js';

/** Options for {@link decodeMnist} and {@link readMnist}. @category Readers */
export interface MnistOptions {
  /** `'tensor'` (default: {@link LabeledImages}) or `'array'` ({@link LabeledImageArrays}, bytes 0–255). */
  format?: ReaderFormat;
  /** Number of classes; a label `>= numClasses` is an error (default `10`). */
  numClasses?: number;
  /** Name of the images file, for error messages (default `'images'`). */
  imagesSource?: string;
  /** Name of the labels file, for error messages (default `'labels'`). */
  labelsSource?: string;
}

/**
 * Decodes an MNIST-format pair of IDX files (also Fashion-MNIST, KMNIST,
 * EMNIST): images with magic `0x00000803` (uint8, `[N, H, W]`) and labels with
 * magic `0x00000801` (uint8, `[N]`). A malformed file throws a
 * {@link FoveaError} naming the file and byte offset (bad magic, truncated
 * file, dims that do not match the size, a label out of range, counts that
 * differ between the two files).
 *
 * @param images the images file's bytes.
 * @param labels the labels file's bytes.
 * @returns `images` `[N, H, W, 1]` float32 in `[0, 1]` and `labels` `[N]`
 *   int32 (owned by the caller), or with `format: 'array'` the raw bytes and labels.
 * @example
 * ```ts
 * import { decodeMnist } from '@fovea/core';
 * // const { images, labels } = decodeMnist(imageBytes, labelBytes);
 * // images: `[N, 28, 28, 1]`, labels: `[N]`
 * ```
 * @category Readers
 */
export function decodeMnist(images: Uint8Array, labels: Uint8Array, opts?: MnistOptions & { format?: 'tensor' }): LabeledImages;
export function decodeMnist(images: Uint8Array, labels: Uint8Array, opts: MnistOptions & { format: 'array' }): LabeledImageArrays;
export function decodeMnist(images: Uint8Array, labels: Uint8Array, opts: MnistOptions = {}): LabeledImages | LabeledImageArrays {
  const op = 'decodeMnist';
  const format = checkOneOf(op, 'opts.format', opts.format ?? 'tensor', ['tensor', 'array'] as const);
  const numClasses = opts.numClasses ?? 10;
  const imgSrc = opts.imagesSource ?? 'images';
  const lblSrc = opts.labelsSource ?? 'labels';
  images = asBytes(op, 'images', images);
  labels = asBytes(op, 'labels', labels);
  // check the magic numbers first, so that swapped files get a clear message
  if (images.length >= 4 && (images[2] !== 0x08 || images[3] !== 3) && images[0] === 0 && images[1] === 0) {
    failAt(op, imgSrc, 2, 'MNIST images magic 00 00 08 03 (uint8, 3 dims)', `00 00 ${images[2]!.toString(16).padStart(2, '0')} ${images[3]!.toString(16).padStart(2, '0')}`);
  }
  if (labels.length >= 4 && (labels[2] !== 0x08 || labels[3] !== 1) && labels[0] === 0 && labels[1] === 0) {
    failAt(op, lblSrc, 2, 'MNIST labels magic 00 00 08 01 (uint8, 1 dim)', `00 00 ${labels[2]!.toString(16).padStart(2, '0')} ${labels[3]!.toString(16).padStart(2, '0')}`);
  }
  const img = decodeIdx(images, { source: imgSrc });
  const lbl = decodeIdx(labels, { source: lblSrc });
  const [n, h, w] = img.shape as [number, number, number];
  if (lbl.shape[0] !== n) {
    throw new FoveaError({ op, arg: `${lblSrc} at byte 4`, expected: `${n} labels (as many as images in ${imgSrc})`, got: String(lbl.shape[0]) });
  }
  const lab = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = lbl.data[i]!;
    if (v >= numClasses) failAt(op, lblSrc, 8 + i, `a label in [0, ${numClasses})`, String(v));
    lab[i] = v;
  }
  const shape: [number, number, number, number] = [n, h, w, 1];
  if (format === 'array') return { images: img.data as Uint8Array, shape, labels: lab };
  return {
    images: bytesToImages(img.data as Uint8Array, shape),
    labels: tf.tensor1d(lab, 'int32'),
  };
}

/**
 * Reads an MNIST-format pair of IDX files (Node only; `.gz` files are
 * gunzipped), e.g. `train-images-idx3-ubyte.gz` and
 * `train-labels-idx1-ubyte.gz`. See {@link decodeMnist}.
 *
 * @example
 * ```ts
 * import { readMnist } from '@fovea/core';
 * const { images, labels } = await readMnist('mnist/t10k-images-idx3-ubyte.gz', 'mnist/t10k-labels-idx1-ubyte.gz');
 * images.shape; // [10000, 28, 28, 1]
 * ```
 * @category Readers
 */
export async function readMnist(imagesPath: string, labelsPath: string, opts?: Omit<MnistOptions, 'imagesSource' | 'labelsSource'> & { format?: 'tensor' }): Promise<LabeledImages>;
export async function readMnist(imagesPath: string, labelsPath: string, opts: Omit<MnistOptions, 'imagesSource' | 'labelsSource'> & { format: 'array' }): Promise<LabeledImageArrays>;
export async function readMnist(
  imagesPath: string,
  labelsPath: string,
  opts: Omit<MnistOptions, 'imagesSource' | 'labelsSource'> = {},
): Promise<LabeledImages | LabeledImageArrays> {
  const [images, labels] = await Promise.all([readMaybeGzip('readMnist', imagesPath), readMaybeGzip('readMnist', labelsPath)]);
  return decodeMnist(images, labels, { ...opts, imagesSource: imagesPath, labelsSource: labelsPath } as MnistOptions & { format: 'array' });
}
