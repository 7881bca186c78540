import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '../validate/values.js';
import { kaimingUniform } from './kaiming.js';
import { drawUniform, finish, resolveTarget, type InitOptions, type InitTarget } from './_target.js';

/**
 * PyTorch's default weight init for `nn.Linear`, `nn.Conv*d` and
 * `nn.ConvTranspose*d` (their `reset_parameters`):
 * `kaiming_uniform_(w, a=√5)`, i.e. `U(-b, b)` with `b = 1/√fan_in` of the PyTorch shape.
 *
 * @param target a shape (returns a new tensor) or a variable / {@link Parameter} (filled in place and returned).
 * @param opts `layout` (e.g. `conv2dWeightLayout` for a `[kH, kW, Cin/groups, Cout]` shape), `generator`.
 * @returns the new tensor, or `target` itself when it is a variable.
 * @example
 * ```ts
 * import { defaultWeightInit, defaultBiasInit, computeFans, conv2dWeightLayout } from '@fovea/core';
 * const shape = [3, 3, 8, 16]; // [kH, kW, Cin, Cout]
 * const w = defaultWeightInit(shape, { layout: conv2dWeightLayout });
 * const b = defaultBiasInit([16], computeFans(shape, conv2dWeightLayout).fanIn); // U(±1/√72)
 * w.dispose(); b.dispose();
 * ```
 * @category Init
 */
export function defaultWeightInit(target: readonly number[], opts?: InitOptions): tf.Tensor;
export function defaultWeightInit<V extends tf.Variable>(target: V, opts?: InitOptions): V;
export function defaultWeightInit(target: InitTarget, opts: InitOptions = {}): tf.Tensor {
  return kaimingUniform(target as readonly number[], { ...opts, a: Math.sqrt(5) });
}

/**
 * PyTorch's default bias init for Linear/Conv layers: `U(-b, b)` with
 * `b = 1/√fan_in` (0 when `fan_in` is 0), where `fan_in` is the weight's
 * (see {@link computeFans}).
 *
 * @param target a shape such as `[Cout]` (returns a new tensor) or a variable / {@link Parameter} (filled in place and returned).
 * @param fanIn the fan-in of the layer's weight.
 * @param opts `generator` (`layout` is not used: biases share PyTorch's layout).
 * @returns the new tensor, or `target` itself when it is a variable.
 * @example
 * ```ts
 * import { defaultBiasInit } from '@fovea/core';
 * const b = defaultBiasInit([10], 784); // values in [-1/28, 1/28)
 * b.dispose();
 * ```
 * @category Init
 */
export function defaultBiasInit(target: readonly number[], fanIn: number, opts?: InitOptions): tf.Tensor;
export function defaultBiasInit<V extends tf.Variable>(target: V, fanIn: number, opts?: InitOptions): V;
export function defaultBiasInit(target: InitTarget, fanIn: number, opts: InitOptions = {}): tf.Tensor {
  const r = resolveTarget('defaultBiasInit', target, opts);
  const f = checkNumber('defaultBiasInit', 'fanIn', fanIn, { integer: true, min: 0 });
  const b = f > 0 ? 1 / Math.sqrt(f) : 0;
  return finish(r, drawUniform(r.generator, r.size, -b, b));
}
