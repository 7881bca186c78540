import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '../validate/values.js';
import { computeFans } from './fans.js';
import { drawNormal, drawUniform, finish, resolveTarget, type InitOptions, type InitTarget } from './_target.js';

/** Options for {@link xavierUniform} and {@link xavierNormal}. @category Init */
export interface XavierOptions extends InitOptions {
  /** Scale factor, e.g. `calculateGain('tanh')`; default 1. */
  gain?: number;
}

function xavierStd(op: string, target: InitTarget, opts: XavierOptions) {
  const r = resolveTarget(op, target, opts);
  const gain = checkNumber(op, 'options.gain', opts.gain ?? 1, { min: 0 });
  const { fanIn, fanOut } = computeFans(r.torchShape);
  return { r, std: fanIn + fanOut > 0 ? gain * Math.sqrt(2 / (fanIn + fanOut)) : 0 };
}

/**
 * Xavier/Glorot uniform init (Glorot & Bengio 2010), PyTorch's
 * `nn.init.xavier_uniform_`: values from `U(-b, b)` with
 * `b = gain · √(6 / (fan_in + fan_out))`, fans from the PyTorch shape.
 *
 * @param target a shape (returns a new `float32` tensor) or a variable / {@link Parameter} (filled in place and returned).
 * @param opts `gain`, `layout`, `generator`.
 * @returns the new tensor, or `target` itself when it is a variable.
 * @example
 * ```ts
 * import { xavierUniform, calculateGain, linearWeightLayout } from '@fovea/core';
 * // Linear weight [in, out] = [100, 50]: b = (5/3)·√(6 / 150)
 * const w = xavierUniform([100, 50], { gain: calculateGain('tanh'), layout: linearWeightLayout });
 * w.dispose();
 * ```
 * @category Init
 */
export function xavierUniform(target: readonly number[], opts?: XavierOptions): tf.Tensor;
export function xavierUniform<V extends tf.Variable>(target: V, opts?: XavierOptions): V;
export function xavierUniform(target: InitTarget, opts: XavierOptions = {}): tf.Tensor {
  const { r, std } = xavierStd('xavierUniform', target, opts);
  const b = Math.sqrt(3) * std;
  return finish(r, drawUniform(r.generator, r.size, -b, b));
}

/**
 * Xavier/Glorot normal init, PyTorch's `nn.init.xavier_normal_`: values from
 * `N(0, std²)` with `std = gain · √(2 / (fan_in + fan_out))`.
 *
 * @param target a shape (returns a new `float32` tensor) or a variable / {@link Parameter} (filled in place and returned).
 * @param opts `gain`, `layout`, `generator`.
 * @returns the new tensor, or `target` itself when it is a variable.
 * @example
 * ```ts
 * import { xavierNormal } from '@fovea/core';
 * const w = xavierNormal([64, 32]); // PyTorch shape [out, in]: std = √(2 / 96)
 * w.dispose();
 * ```
 * @category Init
 */
export function xavierNormal(target: readonly number[], opts?: XavierOptions): tf.Tensor;
export function xavierNormal<V extends tf.Variable>(target: V, opts?: XavierOptions): V;
export function xavierNormal(target: InitTarget, opts: XavierOptions = {}): tf.Tensor {
  const { r, std } = xavierStd('xavierNormal', target, opts);
  return finish(r, drawNormal(r.generator, r.size, 0, std));
}
