import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber, FoveaError, describeValue } from '@fovea/core';
import type { GroupOptions, ParamsInput } from './optimizer.js';

/** Splits the `(params, options)` / `(options)` constructor forms. @internal */
export function splitArgs<G extends GroupOptions, O>(
  a: ParamsInput<G> | O | null | undefined,
  b: O | undefined,
): { params: ParamsInput<G> | null; opts: O } {
  if (a === null || a === undefined) return { params: null, opts: (b ?? {}) as O };
  const iterable = typeof (a as Iterable<unknown>)[Symbol.iterator] === 'function';
  if (!iterable && typeof a === 'object' && !('params' in (a as object))) return { params: null, opts: a as O };
  return { params: a as ParamsInput<G>, opts: (b ?? {}) as O };
}

/** Common group checks: `lr >= 0`, `weightDecay >= 0`, boolean `maximize`. @internal */
export function checkCommon(op: string, g: GroupOptions, where: string): void {
  checkNumber(op, `${where}.lr`, g.lr, { min: 0 });
  checkNumber(op, `${where}.weightDecay`, g.weightDecay, { min: 0 });
  checkBool(op, `${where}.maximize`, g.maximize);
}

/** Checks a boolean option. @internal */
export function checkBool(op: string, arg: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new FoveaError({ op, arg, expected: 'a boolean', got: describeValue(v) });
}

/** Checks `[beta1, beta2]` with each in `[0, 1)`. @internal */
export function checkBetas(op: string, arg: string, v: unknown): void {
  if (!Array.isArray(v) || v.length !== 2) throw new FoveaError({ op, arg, expected: 'a pair [beta1, beta2]', got: describeValue(v) });
  checkNumber(op, `${arg}[0]`, v[0], { min: 0, lt: 1 });
  checkNumber(op, `${arg}[1]`, v[1], { min: 0, lt: 1 });
}

/** The gradient with PyTorch's `maximize` and coupled weight decay applied: `±g + wd·p`. @internal */
export function effectiveGrad(tfns: typeof tf, p: tf.Tensor, g: tf.Tensor, g0: GroupOptions, coupledDecay: boolean): tf.Tensor {
  let d = g0.maximize ? tfns.neg(g) : g;
  if (coupledDecay && g0.weightDecay !== 0) d = tfns.add(d, tfns.mul(p, g0.weightDecay));
  return d;
}
