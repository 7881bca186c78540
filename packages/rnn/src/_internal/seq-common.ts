import * as tf from '@tensorflow/tfjs-core';

/** What one layer-direction of a recurrent network returns. */
export interface SeqResult {
  /** `[B, T, H]` the hidden state at every step, at its own time index. */
  output: tf.Tensor;
  /** `[B, H]` the state after the last processed step. */
  hN: tf.Tensor;
  /** `[B, H]` the last cell state (LSTM only). */
  cN?: tf.Tensor;
}

/** The time indices in processing order: 0 → T-1, or T-1 → 0 when `reverse`. */
export function stepOrder(T: number, reverse: boolean): number[] {
  const order = Array.from({ length: T }, (_, i) => i);
  return reverse ? order.reverse() : order;
}

/**
 * `tanh`. On wasm as `2·σ(2x) − 1`: tfjs-backend-wasm's Tanh is a scalar
 * loop about ten times slower than its vectorised Sigmoid (absolute error
 * below 1e-7). Pass `ones` (a ones tensor of x's shape) inside per-step
 * loops: wasm's binary ops are fast only without broadcasting, so the
 * identity is then computed as `(s + s) − ones` with `s = σ(x + x)`.
 */
export function fastTanh(x: tf.Tensor, ones?: tf.Tensor): tf.Tensor {
  if (tf.getBackend() !== 'wasm') return tf.tanh(x);
  if (ones) {
    const s = tf.sigmoid(tf.add(x, x));
    return tf.sub(tf.add(s, s), ones);
  }
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
}

/** `x + a` with a possibly absent second term. */
export function addMaybe(x: tf.Tensor, a: tf.Tensor | null): tf.Tensor {
  return a === null ? x : tf.add(x, a);
}

/**
 * A `[G·H]` vector of per-gate scales: `scales[k]` repeated H times for gate k.
 */
export function gateScales(scales: number[], H: number): tf.Tensor {
  const v = new Float32Array(scales.length * H);
  scales.forEach((s, k) => v.fill(s, k * H, (k + 1) * H));
  return tf.tensor1d(v);
}

/** Column sums of a `[N, D]` matrix as `[D]`, as a `[1, N] x [N, D]` matmul (XNNPACK on wasm; tf.sum over axis 0 is a slow path there). */
export function colSum(m: tf.Tensor): tf.Tensor {
  const [n, d] = m.shape as [number, number];
  return tf.reshape(tf.matMul(tf.ones([1, n]), m), [d]);
}

/**
 * The state before each step, in time order: `[T, B, H]` from the states
 * after each step `hs` (`[T, B, H]`, time order) and the initial state `h0`
 * (`[B, H]`). Forward: `[h0, h_0, …, h_{T-2}]`; reverse: `[h_1, …, h_{T-1}, h0]`.
 */
export function previousInTime(hs: tf.Tensor, h0: tf.Tensor, reverse: boolean): tf.Tensor {
  const [T, B, H] = hs.shape as [number, number, number];
  const first = tf.expandDims(h0, 0); // [1, B, H]
  if (T === 1) return first;
  return reverse
    ? tf.concat([tf.slice(hs, [1, 0, 0], [T - 1, B, H]), first], 0)
    : tf.concat([first, tf.slice(hs, [0, 0, 0], [T - 1, B, H])], 0);
}
