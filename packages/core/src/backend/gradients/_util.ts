import * as tf from '@tensorflow/tfjs-core';

/** Runs a kernel through the engine (recorded on the tape when one is active, like any op). */
export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/**
 * Sums `t` over the axes that broadcasting added or stretched to reach its
 * shape from `shape`, and reshapes it to `shape`: the gradient of a
 * broadcast input.
 */
export function sumToShape(t: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (tf.util.arraysEqual(t.shape, shape as number[])) return t;
  const axes = tf.backend_util.getReductionAxes(shape as number[], t.shape);
  const s = axes.length > 0 ? tf.sum(t, axes) : t;
  return tf.reshape(s, shape as number[]);
}

/** `n` copies of a value, from a scalar or a tuple attribute. */
export function tuple(v: number | readonly number[] | null | undefined, n: number): number[] {
  if (v === null || v === undefined) return new Array<number>(n).fill(1);
  return typeof v === 'number' ? new Array<number>(n).fill(v) : v.slice();
}

/**
 * Inserts `d - 1` zeros between the taps of `w` along `axis`: a filter with
 * dilation `d` as the equivalent undilated filter of size `(k - 1) d + 1`.
 */
function dilateAxis(w: tf.Tensor, axis: number, d: number): tf.Tensor {
  if (d === 1) return w;
  const shape = w.shape;
  const k = shape[axis]!;
  const pre = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const post = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const r = tf.reshape(w, [pre, k, 1, post]); // [pre, k, 1, post]
  const p = tf.pad(r, [[0, 0], [0, 0], [0, d - 1], [0, 0]]); // [pre, k, d, post]
  const flat = tf.reshape(p, [pre, k * d, post]); // [pre, k*d, post]
  const cut = tf.slice(flat, [0, 0, 0], [pre, (k - 1) * d + 1, post]);
  const out = shape.slice();
  out[axis] = (k - 1) * d + 1;
  return tf.reshape(cut, out);
}

/** The filter `w` (spatial axes first) with the given dilations made explicit. */
export function dilateFilter(w: tf.Tensor, dilations: readonly number[]): tf.Tensor {
  let out = w;
  dilations.forEach((d, axis) => {
    out = dilateAxis(out, axis, d);
  });
  return out;
}

/** Along `axis`, the taps `0, d, 2d, ...` of a dilated filter's gradient (size `(k - 1) d + 1` -> `k`). */
function undilateAxis(g: tf.Tensor, axis: number, d: number): tf.Tensor {
  if (d === 1) return g;
  const shape = g.shape;
  const k = (shape[axis]! - 1) / d + 1;
  const pre = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const post = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const r = tf.reshape(g, [pre, shape[axis]!, post]); // [pre, (k-1)d+1, post]
  const p = tf.pad(r, [[0, 0], [0, d - 1], [0, 0]]); // [pre, k*d, post]
  const taps = tf.slice(tf.reshape(p, [pre, k, d, post]), [0, 0, 0, 0], [pre, k, 1, post]); // [pre, k, 1, post]
  const out = shape.slice();
  out[axis] = k;
  return tf.reshape(taps, out);
}

/**
 * The taps of a dilated filter's gradient that belong to the real filter:
 * every `d`-th along each spatial axis (rank-4 ops only, which every backend
 * has; WebGPU has no rank-5 strided slice).
 */
export function undilateFilter(g: tf.Tensor, dilations: readonly number[]): tf.Tensor {
  let out = g;
  dilations.forEach((d, axis) => {
    out = undilateAxis(out, axis, d);
  });
  return out;
}
