/** Private helpers shared by the init functions: resolving a shape-or-variable target and writing values. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { identityLayout, type TorchLayout } from '../interop/layout.js';
import { defaultGenerator, type Generator } from '../random/generator.js';

/**
 * What an init function fills: a shape (a new tensor is returned) or an
 * existing variable such as a module's {@link Parameter} (assigned in place).
 *
 * @category Init
 */
export type InitTarget = readonly number[] | tf.Variable;

/** Options shared by every init function. @category Init */
export interface InitOptions {
  /**
   * How the target's shape maps to PyTorch's (fans are PyTorch's, and values
   * are drawn in PyTorch order so a seed gives the same `stateDict()` whatever
   * the internal layout). Default: the parameter's own `layout` when the target
   * is a {@link Parameter}, else identity (the shape is PyTorch's).
   */
  layout?: TorchLayout;
  /** Random source (default: {@link defaultGenerator}). */
  generator?: Generator;
}

/** A resolved init target. @internal */
export interface Resolved {
  shape: number[];
  torchShape: number[];
  size: number;
  layout: TorchLayout;
  variable: tf.Variable | null;
  generator: Generator;
}

/** @internal */
export function resolveTarget(op: string, target: InitTarget, opts: InitOptions): Resolved {
  let shape: number[];
  let variable: tf.Variable | null = null;
  let own: TorchLayout | undefined;
  if (target instanceof tf.Variable) {
    if (target.isDisposed) throw new FoveaError({ op, arg: 'target', expected: 'a live variable', got: 'a disposed variable' });
    if (target.dtype !== 'float32') throw new FoveaError({ op, arg: 'target', expected: 'a float32 variable', got: `dtype ${target.dtype}` });
    variable = target;
    shape = [...target.shape];
    own = (target as tf.Variable & { layout?: TorchLayout }).layout;
  } else if (Array.isArray(target) && target.every((d) => Number.isInteger(d) && d >= 0)) {
    shape = [...target];
  } else {
    throw new FoveaError({ op, arg: 'target', expected: 'a shape (non-negative integers) or a tf.Variable', got: String(target) });
  }
  const layout = opts.layout ?? own ?? identityLayout;
  const torchShape = layout.torchShape(shape);
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, torchShape, size, layout, variable, generator: opts.generator ?? defaultGenerator() };
}

/** Writes values drawn in PyTorch order into the target: a new tensor, or the variable assigned in place. @internal */
export function finish(r: Resolved, values: Float32Array): tf.Tensor {
  const internal = tf.tidy(() => r.layout.fromTorch(tf.tensor(values, r.torchShape, 'float32')));
  if (!r.variable) return internal;
  r.variable.assign(internal);
  internal.dispose();
  return r.variable;
}

/** `n` uniform samples in `[-bound, bound)`. @internal */
export function drawUniform(g: Generator, n: number, low: number, high: number): Float32Array {
  const out = new Float32Array(n);
  const span = high - low;
  for (let i = 0; i < n; i++) out[i] = low + span * g.random();
  return out;
}

/** `n` normal samples with mean `mean` and standard deviation `std`. @internal */
export function drawNormal(g: Generator, n: number, mean: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * g.normal();
  return out;
}
