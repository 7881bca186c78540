/**
 * Private: separable linear resampling of channels-last images by two small
 * dense matrices (one per spatial axis). Used by interpolation and adaptive
 * pooling: exact for any coordinate rule, and differentiable on every
 * backend through matMul (whose gradient is the transposed map).
 */
import * as tf from '@tensorflow/tfjs-core';

/** A row-major `[out, in]` resampling matrix for one axis. */
export interface AxisMap {
  out: number;
  in: number;
  /** `out × in` weights, row-major. */
  w: Float32Array;
}

/** Whether `m` is the identity (then the axis is left alone). */
function isIdentity(m: AxisMap): boolean {
  if (m.out !== m.in) return false;
  for (let i = 0; i < m.out; i++) for (let j = 0; j < m.in; j++) if (m.w[i * m.in + j] !== (i === j ? 1 : 0)) return false;
  return true;
}

/** `y[n, i, j, c] = Σ_h Σ_w A_h[i, h] · A_w[j, w] · x[n, h, w, c]`. */
export function resampleSeparable(x: tf.Tensor4D, ah: AxisMap, aw: AxisMap): tf.Tensor4D {
  return tf.tidy(() => {
    let y = x;
    const [n, , w, c] = x.shape;
    if (!isIdentity(ah)) {
      const h = ah.in;
      const t = tf.reshape(tf.transpose(y, [1, 0, 2, 3]), [h, n * w * c]); // [H, N·W·C]
      const r = tf.matMul(tf.tensor2d(ah.w, [ah.out, h]), t); // [oh, N·W·C]
      y = tf.transpose(tf.reshape(r, [ah.out, n, w, c]), [1, 0, 2, 3]); // [N, oh, W, C]
    }
    if (!isIdentity(aw)) {
      const oh = y.shape[1];
      const t = tf.reshape(tf.transpose(y, [2, 0, 1, 3]), [w, n * oh * c]); // [W, N·oh·C]
      const r = tf.matMul(tf.tensor2d(aw.w, [aw.out, w]), t); // [ow, N·oh·C]
      y = tf.transpose(tf.reshape(r, [aw.out, n, oh, c]), [1, 2, 0, 3]); // [N, oh, ow, C]
    }
    return y === x ? tf.clone(x) : y;
  });
}

/** Adaptive average pooling bins: bin `i` spans `[floor(i·in/out), ceil((i+1)·in/out))`. */
export function adaptiveMap(inSize: number, outSize: number): AxisMap {
  const w = new Float32Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const start = Math.floor((i * inSize) / outSize);
    const end = Math.ceil(((i + 1) * inSize) / outSize);
    for (let j = start; j < end; j++) w[i * inSize + j] = 1 / (end - start);
  }
  return { out: outSize, in: inSize, w };
}
