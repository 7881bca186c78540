/** Private helper: truncated normal initialisation (PyTorch's `nn.init.trunc_normal_`). */
import * as tf from '@tensorflow/tfjs-core';
import { defaultGenerator, type Generator } from '@fovea/core';

/**
 * Samples `N(0, std²)` truncated to `[-2, 2]` absolute (PyTorch's
 * `trunc_normal_` defaults `a = -2, b = 2`), by rejection, from `generator`.
 */
export function truncNormal(shape: readonly number[], std: number, generator: Generator = defaultGenerator()): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = std * generator.normal();
    while (v < -2 || v > 2) v = std * generator.normal();
    out[i] = v;
  }
  return tf.tensor(out, [...shape], 'float32');
}

/** Assigns `make()` to a parameter, releasing the temporary. */
export function setValue(p: tf.Variable, make: () => tf.Tensor): void {
  tf.tidy(() => {
    p.assign(make());
  });
}
