/** Private helpers: MLP stacks and image flattening shared by the dense models. */
import * as tf from '@tensorflow/tfjs-core';
import { ReLU, Sequential, nchwToNhwc, type Generator } from '@fovea/core';
import { Linear, flatten } from '@fovea/layers';
import { genOpt } from './args.js';

/**
 * `Linear(d0, d1) → ReLU → … → Linear(d_{n-2}, d_{n-1})`, PyTorch's
 * `nn.Sequential` numbering (`0.weight`, `2.weight`, …); with `finalRelu`
 * a ReLU also follows the last layer.
 */
export function mlp(dims: readonly number[], generator: Generator | undefined, finalRelu = false): Sequential {
  const layers = [];
  for (let i = 0; i + 1 < dims.length; i++) {
    layers.push(new Linear(dims[i]!, dims[i + 1]!, genOpt(generator)));
    if (i + 2 < dims.length || finalRelu) layers.push(new ReLU());
  }
  return new Sequential(...layers);
}

/** `[N, ...shape]` → `[N, D]`, images `[N, H, W, C]` in PyTorch's `C, H, W` order (so PyTorch MLP weights load). */
export function flattenItems(x: tf.Tensor): tf.Tensor {
  return x.rank === 2 ? x : flatten(x);
}

/** Inverse of {@link flattenItems}: `[N, D]` → `[N, ...shape]`. */
export function unflattenItems(y: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const n = y.shape[0]!;
  if (shape.length === 1) return y;
  if (shape.length === 3) {
    const [h, w, c] = shape as [number, number, number];
    return c === 1 ? tf.reshape(y, [n, h, w, 1]) : nchwToNhwc(tf.reshape(y, [n, c, h, w])); // [N, H, W, C]
  }
  return tf.reshape(y, [n, ...shape]);
}
