/** The digits as the examples use them: the canonical split, binarized where a model needs discrete pixels. */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, loadDigits, randperm } from '@fovea/core';

/** One split as tensors: images `[N, 28, 28, 1]` and int32 labels `[N]`. */
export interface Split {
  images: tf.Tensor4D;
  labels: tf.Tensor1D;
}

/** The canonical 8,000 / 1,000 / 1,000 split; `binarize` thresholds the grey values at 0.5 (static binarization). */
export async function digits(binarize: boolean): Promise<{ train: Split; val: Split; test: Split }> {
  const d = await loadDigits();
  const fix = (s: Split): Split => {
    if (!binarize) return s;
    const b = tf.tidy(() => tf.cast(tf.greater(s.images, 0.5), 'float32')) as tf.Tensor4D;
    s.images.dispose();
    return { images: b, labels: s.labels };
  };
  return { train: fix(d.train), val: fix(d.val), test: fix(d.test) };
}

/** Shuffled minibatches of `[x, y]` index ranges for one epoch (the last batch may be smaller). */
export function batches(n: number, batchSize: number, gen: Generator): Int32Array[] {
  const perm = randperm(n, { generator: gen });
  const out: Int32Array[] = [];
  for (let i = 0; i < n; i += batchSize) out.push(perm.subarray(i, Math.min(n, i + batchSize)));
  return out;
}

/** Rows `idx` of `x`. */
export function take(x: tf.Tensor, idx: Int32Array | number[]): tf.Tensor {
  return tf.tidy(() => tf.gather(x, tf.tensor1d(Array.from(idx), 'int32')));
}

/** Outlier sets built from test digits: uniform binary noise, digits shifted by 10 pixels (wrapping), and inverted digits. */
export function outliers(images: tf.Tensor, gen: Generator): Record<'noise' | 'shifted' | 'inverted', tf.Tensor> {
  return tf.tidy(() => {
    const n = images.shape[0]!;
    const u = Float32Array.from({ length: n * 784 }, () => (gen.random() < 0.5 ? 1 : 0));
    const shifted = tf.concat([tf.slice(images, [0, 0, 10, 0], [-1, -1, 18, -1]), tf.slice(images, [0, 0, 0, 0], [-1, -1, 10, -1])], 2);
    return { noise: tf.tensor4d(u, [n, 28, 28, 1]), shifted, inverted: tf.sub(1, images) };
  });
}

/**
 * One number per item of `n`, computed `batch` rows at a time: `fn(idx)` gets
 * the row indices of a batch and returns a `[idx.length]` tensor (created in a
 * tidy; disposed here after it is read).
 */
export async function perItem(n: number, batch: number, fn: (idx: number[]) => tf.Tensor): Promise<Float32Array> {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += batch) {
    const idx = Array.from({ length: Math.min(batch, n - i) }, (_, k) => i + k);
    const v = tf.tidy(() => fn(idx));
    out.set(await v.data(), i);
    v.dispose();
  }
  return out;
}

/** The mean of a list of numbers. */
export const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
