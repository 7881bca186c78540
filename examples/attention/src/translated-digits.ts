/** Digits placed at random in a larger black canvas (the "translated MNIST" of the RAM paper). */
import * as tf from '@tensorflow/tfjs-core';
import type { DigitsArraySplit, Generator } from '@fovea/core';

/** A batch of canvases `[N, S, S, 1]`, their labels and where each digit's top-left corner went. */
export interface TranslatedBatch {
  images: tf.Tensor4D;
  labels: tf.Tensor1D;
  offsets: [number, number][];
}

/**
 * Pastes digits `indices` of `split` at uniformly random positions of an
 * `S × S` canvas (drawn from `gen`, so a seed fixes the placements).
 */
export function translatedBatch(split: DigitsArraySplit, indices: ArrayLike<number>, size: number, gen: Generator): TranslatedBatch {
  const n = indices.length;
  const data = new Float32Array(n * size * size);
  const labels = new Int32Array(n);
  const offsets: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const src = indices[i]!;
    const top = gen.randint(0, size - 28 + 1);
    const left = gen.randint(0, size - 28 + 1);
    offsets.push([top, left]);
    labels[i] = split.labels[src]!;
    for (let r = 0; r < 28; r++) {
      const from = src * 784 + r * 28;
      data.set(split.images.subarray(from, from + 28), i * size * size + (top + r) * size + left);
    }
  }
  return { images: tf.tensor4d(data, [n, size, size, 1]), labels: tf.tensor1d(labels, 'int32'), offsets };
}
