import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '../validate/values.js';
import { drawNormal, finish, resolveTarget, type InitOptions, type InitTarget } from './_target.js';

/** Options for {@link smallRandom}. @category Init */
export interface SmallRandomOptions extends InitOptions {
  /** Standard deviation of the normal draw; default 0.01 (CS231n's `0.01 * randn`). */
  std?: number;
}

/**
 * "Small random numbers" init: `std · N(0, 1)` (CS231n's `W = 0.01 * np.random.randn(D, H)`),
 * the same for every fan. Fine for small networks; deep ones need
 * {@link kaimingNormal} or {@link xavierNormal} so activations neither vanish nor explode.
 *
 * @param target a shape (returns a new `float32` tensor) or a variable / {@link Parameter} (filled in place and returned).
 * @param opts `std` (default 0.01), `layout`, `generator`.
 * @returns the new tensor, or `target` itself when it is a variable.
 * @example
 * ```ts
 * import { smallRandom, Generator } from '@fovea/core';
 * const w = smallRandom([784, 10], { generator: new Generator(0) }); // `[784, 10]`, std 0.01
 * w.dispose();
 * ```
 * @category Init
 */
export function smallRandom(target: readonly number[], opts?: SmallRandomOptions): tf.Tensor;
export function smallRandom<V extends tf.Variable>(target: V, opts?: SmallRandomOptions): V;
export function smallRandom(target: InitTarget, opts: SmallRandomOptions = {}): tf.Tensor {
  const r = resolveTarget('smallRandom', target, opts);
  const std = checkNumber('smallRandom', 'options.std', opts.std ?? 0.01, { min: 0 });
  return finish(r, drawNormal(r.generator, r.size, 0, std));
}
