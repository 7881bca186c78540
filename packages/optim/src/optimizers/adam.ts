import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
import { Optimizer, registerClassOnce, type GroupOptions, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { checkBetas, checkBool, checkCommon, effectiveGrad, splitArgs } from './_options.js';
import { fusedAdam } from './_fused.js';

/** {@link Adam}'s (and {@link AdamW}'s) hyper-parameters. @category Optimizers */
export interface AdamOptions extends GroupOptions {
  /** Decay rates `[β1, β2]` of the first and second moment averages; default `[0.9, 0.999]`. */
  betas: [number, number];
  /** Added to the denominator outside the square root; default 1e-8. */
  eps: number;
  /** Use the running maximum of the second moment (AMSGrad); default false. */
  amsgrad: boolean;
}

/**
 * `max(a, b)` as `a + relu(b − a)`: three elementwise ops that tfjs-backend-wasm
 * runs with XNNPACK, about 5× faster there than its `Maximum` kernel.
 * @internal
 */
export function fastMaximum(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.add(a, tf.relu(tf.sub(b, a)));
}

/** @internal Adam's update, shared with AdamW (`decoupled`: weight decay as `x ← x·(1 − lr·wd)` first). */
export function adamUpdate(
  buffer: (name: string, init: () => tf.Tensor) => tf.Variable,
  p: tf.Variable,
  g: tf.Tensor,
  group: ParamGroup<AdamOptions>,
  st: ParamState,
  decoupled: boolean,
): void {
  if (fusedAdam(p, g, group, st, buffer, decoupled)) return; // wasm, cpu: one fused kernel
  const step = st.step;
  const [b1, b2] = group.betas;
  const { lr, eps } = group;
  const d = effectiveGrad(tf, p, g, group, !decoupled);
  const x = decoupled && group.weightDecay !== 0 ? tf.mul(p, 1 - lr * group.weightDecay) : p;
  const m = buffer('exp_avg', () => tf.zerosLike(p));
  const v = buffer('exp_avg_sq', () => tf.zerosLike(p));
  m.assign(tf.add(tf.mul(m, b1), tf.mul(d, 1 - b1)));
  v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(d), 1 - b2)));
  let vUsed: tf.Tensor = v;
  if (group.amsgrad) {
    const vmax = buffer('max_exp_avg_sq', () => tf.zerosLike(p));
    vmax.assign(fastMaximum(vmax, v));
    vUsed = vmax;
  }
  if (lr === 0) {
    if (x !== p) p.assign(x);
    return;
  }
  const bc1 = 1 - b1 ** step;
  const bc2 = 1 - b2 ** step;
  // x − (lr / bc1) · m / (√v / √bc2 + eps), with the scalars folded into the denominator (one op fewer):
  // x − m / (√v · bc1 / (lr·√bc2) + eps · bc1 / lr)
  const denom = tf.add(tf.mul(tf.sqrt(vUsed), bc1 / (lr * Math.sqrt(bc2))), (eps * bc1) / lr);
  p.assign(tf.sub(x, tf.div(m, denom)));
}

/** @internal Adam/AdamW group checks. */
export function checkAdamGroup(op: string, g: AdamOptions, where: string): void {
  checkCommon(op, g, where);
  checkBetas(op, `${where}.betas`, g.betas);
  checkNumber(op, `${where}.eps`, g.eps, { min: 0 });
  checkBool(op, `${where}.amsgrad`, g.amsgrad);
}

const DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

/**
 * Adam with bias correction and optional AMSGrad, exactly `torch.optim.Adam`
 * (PyTorch 1.13): `g ← g + wd·x` (coupled L2); `m ← β1·m + (1 − β1)·g`;
 * `v ← β2·v + (1 − β2)·g²`; AMSGrad: `v̂ ← max(v̂, v)` used instead of `v`;
 * `x ← x − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps)`.
 * For decoupled weight decay use {@link AdamW}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { Adam } from '@fovea/optim';
 * const x = new Parameter(tf.tensor1d([1, -2]));
 * const opt = new Adam([x], { lr: 0.1 });
 * opt.backward(() => tf.sum(tf.square(x))).dispose();
 * opt.step();
 * x.print(); // [0.9, -1.9]: Adam's first step is ±lr
 * ```
 * @category Optimizers
 */
export class Adam extends Optimizer<AdamOptions> {
  /** The tfjs serialization name. */
  static get className(): string {
    return 'FoveaAdam';
  }

  /**
   * @param params parameters or parameter groups (omit for tfjs-layers).
   * @param options hyper-parameters; defaults `lr 1e-3`, `betas [0.9, 0.999]`, `eps 1e-8`, `weightDecay 0`, `amsgrad false`.
   */
  constructor(params: ParamsInput<AdamOptions> | null, options?: Partial<AdamOptions>);
  constructor(options?: Partial<AdamOptions>);
  constructor(a?: ParamsInput<AdamOptions> | Partial<AdamOptions> | null, b?: Partial<AdamOptions>) {
    const { params, opts } = splitArgs<AdamOptions, Partial<AdamOptions>>(a, b);
    super(params, { ...DEFAULTS, ...opts }, 'Adam');
    registerClassOnce(Adam);
  }

  protected checkGroup(g: AdamOptions, where: string): void {
    checkAdamGroup('Adam', g, where);
  }

  protected updateParam(p: tf.Variable, g: tf.Tensor, group: ParamGroup<AdamOptions>, st: ParamState): void {
    adamUpdate((n, i) => this.buffer(st, n, i), p, g, group, st, false);
  }
}
