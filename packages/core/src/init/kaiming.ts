import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOneOf } from '../validate/values.js';
import { computeFans } from './fans.js';
import { calculateGain, type Nonlinearity } from './gain.js';
import { drawNormal, drawUniform, finish, resolveTarget, type InitOptions, type InitTarget } from './_target.js';

/** Options for {@link kaimingUniform} and {@link kaimingNormal}. @category Init */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the rectifier that follows (used with `'leaky_relu'`); default 0. */
  a?: number;
  /** `'fan_in'` keeps the forward pass's variance, `'fan_out'` the backward pass's; default `'fan_in'`. */
  mode?: 'fan_in' | 'fan_out';
  /** The nonlinearity that follows, for {@link calculateGain}; default `'leaky_relu'` (PyTorch's default). */
  nonlinearity?: Nonlinearity;
}

function std(op: string, target: InitTarget, opts: KaimingOptions) {
  const r = resolveTarget(op, target, opts);
  const a = checkNumber(op, 'options.a', opts.a ?? 0);
  const mode = checkOneOf(op, 'options.mode', opts.mode ?? 'fan_in', ['fan_in', 'fan_out'] as const);
  const { fanIn, fanOut } = computeFans(r.torchShape);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  const gain = calculateGain(opts.nonlinearity ?? 'leaky_relu', a);
  return { r, std: fan > 0 ? gain / Math.sqrt(fan) : 0 };
}

/**
 * Kaiming/MSRA (He et al. 2015) uniform init, PyTorch's `nn.init.kaiming_uniform_`:
 * values from `U(-b, b)` with `b = gain · √(3 / fan)`, `gain = calculateGain(nonlinearity, a)`,
 * fans from the PyTorch shape. PyTorch's default Linear/Conv weight init is
 * `kaimingUniform(w, { a: Math.sqrt(5) })` (see {@link defaultWeightInit}).
 *
 * @param target a shape (returns a new `float32` tensor of that shape) or a variable / {@link Parameter} (filled in place and returned).
 * @param opts `a`, `mode`, `nonlinearity`, `layout`, `generator`.
 * @returns the new tensor, or `target` itself when it is a variable.
 * @example
 * ```ts
 * import { kaimingUniform, conv2dWeightLayout, Generator } from '@fovea/core';
 * // a conv weight [kH, kW, Cin, Cout] = [3, 3, 16, 32]: fan_in = 144, bound = √2·√(3/144)
 * const w = kaimingUniform([3, 3, 16, 32], { layout: conv2dWeightLayout, nonlinearity: 'relu', generator: new Generator(0) });
 * w.dispose();
 * ```
 * @category Init
 */
export function kaimingUniform(target: readonly number[], opts?: KaimingOptions): tf.Tensor;
export function kaimingUniform<V extends tf.Variable>(target: V, opts?: KaimingOptions): V;
export function kaimingUniform(target: InitTarget, opts: KaimingOptions = {}): tf.Tensor {
  const { r, std: s } = std('kaimingUniform', target, opts);
  const b = Math.sqrt(3) * s;
  return finish(r, drawUniform(r.generator, r.size, -b, b));
}

/**
 * Kaiming/MSRA normal init, PyTorch's `nn.init.kaiming_normal_`: values from
 * `N(0, std²)` with `std = gain / √fan`.
 *
 * @param target a shape (returns a new `float32` tensor) or a variable / {@link Parameter} (filled in place and returned).
 * @param opts `a`, `mode`, `nonlinearity`, `layout`, `generator`.
 * @returns the new tensor, or `target` itself when it is a variable.
 * @example
 * ```ts
 * import { kaimingNormal, linearWeightLayout } from '@fovea/core';
 * // a Linear weight stored [in, out] = [256, 128]: std = √2 / √256 with mode 'fan_in'
 * const w = kaimingNormal([256, 128], { layout: linearWeightLayout, nonlinearity: 'relu' });
 * w.dispose();
 * ```
 * @category Init
 */
export function kaimingNormal(target: readonly number[], opts?: KaimingOptions): tf.Tensor;
export function kaimingNormal<V extends tf.Variable>(target: V, opts?: KaimingOptions): V;
export function kaimingNormal(target: InitTarget, opts: KaimingOptions = {}): tf.Tensor {
  const { r, std: s } = std('kaimingNormal', target, opts);
  return finish(r, drawNormal(r.generator, r.size, 0, s));
}
