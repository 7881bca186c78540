/** Private helpers: discrete images as the autoregressive models read and predict them. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkOneOf, checkTensor, formatShape } from '@fovea/core';
import { oneHot } from './one-hot.js';

/** How a discrete image enters a network: `x / (K − 1)` in `[0, 1]`, or one-hot per channel. @category Autoregressive */
export type InputEncoding = 'scaled' | 'onehot';

/** Checks `x [N, H, W, C]` float32 with `C = channels` (values not read). */
export function checkDiscreteImage(op: string, x: unknown, channels: number, hw?: readonly [number, number]): [number, number, number, number] {
  checkTensor(op, 'x', x, { rank: 4, dtype: 'float32' });
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (c !== channels || (hw && (h > hw[0] || w !== hw[1]))) {
    const want = hw ? `[N, ≤${hw[0]}, ${hw[1]}, ${channels}]` : `[N, H, W, ${channels}]`;
    throw new FoveaError({ op, arg: 'x', expected: `float32 ${want} with integer values in [0, K)`, got: `shape ${formatShape(x.shape)}` });
  }
  return [n, h, w, c];
}

/** Validates an input-encoding option. */
export function checkEncoding(op: string, v: unknown): InputEncoding {
  return checkOneOf(op, 'options.inputEncoding', v ?? 'scaled', ['scaled', 'onehot'] as const);
}

/** Channels the network sees for `c` image channels of `k` levels. */
export function encodedChannels(c: number, k: number, enc: InputEncoding): number {
  return enc === 'onehot' ? c * k : c;
}

/** `[N, H, W, C]` values in `[0, K)` → the network's input `[N, H, W, C]` or `[N, H, W, C·K]`. */
export function encodeDiscrete(x: tf.Tensor, k: number, enc: InputEncoding): tf.Tensor {
  return tf.tidy(() => {
    if (enc === 'scaled') return k > 1 ? tf.div(x, k - 1) : tf.zerosLike(x);
    const [n, h, w, c] = x.shape as [number, number, number, number];
    return tf.reshape(oneHot(x, k), [n, h, w, c * k]); // [N, H, W, C·K]
  });
}

/** `[N, H, W, C·K]` network output → logits `[N, H, W, C, K]`. */
export function splitLogits(y: tf.Tensor, c: number, k: number): tf.Tensor {
  const [n, h, w] = y.shape as [number, number, number, number];
  return tf.reshape(y, [n, h, w, c, k]); // [N, H, W, C, K]
}
