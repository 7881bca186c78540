import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';

/**
 * Cumulative sum and product. tfjs-core 4.22's Cumsum gradient transposes
 * its result whenever `axis` is not the last one (a wrong-shaped gradient
 * for any `[.., n, ..]` input summed along a leading axis); Cumprod has no
 * gradient at all.
 */

interface CumAttrs {
  axis: number;
  exclusive: boolean;
  reverse: boolean;
}

/** Cumsum: the adjoint is the cumulative sum in the other direction (same exclusivity). */
export const cumsumGradConfig: GradConfig = {
  kernelName: 'Cumsum',
  gradFunc: (dy, _saved, attrs: NamedAttrMap) => {
    const { axis, exclusive, reverse } = attrs as unknown as CumAttrs;
    return { x: () => tf.cumsum(dy as tf.Tensor, axis, exclusive, !reverse) };
  },
};

/**
 * Gradient of the inclusive, forward cumprod `y_j = x_0 ... x_j` along
 * `axis`, exact with zeros (PyTorch's cumprod_backward): before the first
 * zero `z` of a lane, `dx_i = (sum_{j>=i} dy_j y_j) / x_i` (every term past
 * `z` is 0); at `z`, `dx_z = (x_0 ... x_{z-1}) * sum_{j>=z} dy_j x_{z+1} ... x_j`;
 * after it, 0 (each product still contains `x_z`).
 */
function inclusiveCumprodGrad(x: tf.Tensor, dy: tf.Tensor, axis: number): tf.Tensor {
  const y = tf.cumprod(x, axis);
  const isZero = tf.equal(x, 0);
  const zerosBefore = tf.cumsum(tf.cast(isZero, 'float32'), axis, true); // zeros strictly before each position
  const upToFirstZero = tf.equal(zerosBefore, 0); // i <= z
  const safeX = tf.where(isZero, tf.onesLike(x), x);
  const revCumsum = (t: tf.Tensor): tf.Tensor => tf.cumsum(t, axis, false, true);
  const beforeZero = tf.div(revCumsum(tf.mul(dy, y)), safeX);
  const afterZeroOnes = tf.where(upToFirstZero, tf.onesLike(x), x); // x_k for k > z, 1 before
  const atZero = tf.mul(tf.cumprod(safeX, axis, true), revCumsum(tf.mul(dy, tf.cumprod(afterZeroOnes, axis))));
  const firstZero = tf.logicalAnd(isZero, upToFirstZero);
  return tf.where(tf.logicalAnd(upToFirstZero, tf.logicalNot(isZero)), beforeZero, tf.where(firstZero, atZero, tf.zerosLike(x)));
}

/** `t` shifted by one along `axis`: `fill` enters at the start and the last element drops out. */
function shiftForward(t: tf.Tensor, axis: number, fill: number): tf.Tensor {
  const n = t.shape[axis]!;
  const head = t.shape.slice();
  head[axis] = 1;
  const size = t.shape.slice();
  size[axis] = n - 1;
  return tf.concat([tf.fill(head, fill), tf.slice(t, t.shape.map(() => 0), size)], axis);
}

/** `t` shifted back by one along `axis`: the first element drops out and zeros enter at the end. */
function shiftBack(t: tf.Tensor, axis: number): tf.Tensor {
  const n = t.shape[axis]!;
  const begin = t.shape.map((_, i) => (i === axis ? 1 : 0));
  const size = t.shape.slice();
  size[axis] = n - 1;
  const tail = t.shape.slice();
  tail[axis] = 1;
  return tf.concat([tf.slice(t, begin, size), tf.zeros(tail)], axis);
}

/**
 * Cumprod with any `exclusive`/`reverse`: reversed lanes are flipped, and the
 * exclusive product is the inclusive product of the input shifted by one.
 */
export const cumprodGradConfig: GradConfig = {
  kernelName: 'Cumprod',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [x] = saved as [tf.Tensor];
    const { axis: axisAttr, exclusive, reverse } = attrs as unknown as CumAttrs;
    return {
      x: () => {
        const axis = axisAttr < 0 ? axisAttr + x.rank : axisAttr;
        if (x.size === 0) return tf.zerosLike(x);
        let xs = reverse ? tf.reverse(x, axis) : x;
        const g = reverse ? tf.reverse(dy as tf.Tensor, axis) : (dy as tf.Tensor);
        let dx: tf.Tensor;
        if (exclusive) {
          xs = shiftForward(xs, axis, 1); // y_j = prod of x_0 .. x_{j-1}
          dx = shiftBack(inclusiveCumprodGrad(xs, g, axis), axis);
        } else dx = inclusiveCumprodGrad(xs, g, axis);
        return reverse ? tf.reverse(dx, axis) : dx;
      },
    };
  },
};
