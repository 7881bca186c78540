import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
import { Optimizer, registerClassOnce, type GroupOptions, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { checkBool, checkCommon, effectiveGrad, splitArgs } from './_options.js';
import { fusedRmsprop } from './_fused.js';

/** {@link RMSprop}'s hyper-parameters. @category Optimizers */
export interface RMSpropOptions extends GroupOptions {
  /** Smoothing constant α of the squared-gradient average; default 0.99. */
  alpha: number;
  /** Added to the denominator outside the square root; default 1e-8. */
  eps: number;
  /** Momentum factor μ; default 0. */
  momentum: number;
  /** Normalise by the estimated variance (subtract the squared mean gradient); default false. */
  centered: boolean;
}

const DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

/**
 * RMSProp, exactly `torch.optim.RMSprop` (PyTorch 1.13):
 * `g ← g + wd·x`; `v ← α·v + (1 − α)·g²`; centered: `ḡ ← α·ḡ + (1 − α)·g`,
 * `den = √(v − ḡ²) + eps`, else `den = √v + eps`; with momentum
 * `buf ← μ·buf + g/den`, `x ← x − lr·buf`, else `x ← x − lr·g/den`.
 * (`v − ḡ²`, a variance, is clamped at 0 against float32 rounding.)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { RMSprop } from '@fovea/optim';
 * const x = new Parameter(tf.tensor1d([1, -2]));
 * const opt = new RMSprop([x], { lr: 0.01, centered: true, momentum: 0.9 });
 * opt.backward(() => tf.sum(tf.square(x))).dispose();
 * opt.step();
 * x.print(); // ≈ [0.8995, -1.8995]: the first centered step is lr·g/√(v − ḡ²) ≈ 0.1005 per entry
 * ```
 * @category Optimizers
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  /** The tfjs serialization name. */
  static get className(): string {
    return 'FoveaRMSprop';
  }

  /**
   * @param params parameters or parameter groups (omit for tfjs-layers).
   * @param options hyper-parameters; defaults `lr 1e-2`, `alpha 0.99`, `eps 1e-8`, `weightDecay 0`, `momentum 0`, `centered false`.
   */
  constructor(params: ParamsInput<RMSpropOptions> | null, options?: Partial<RMSpropOptions>);
  constructor(options?: Partial<RMSpropOptions>);
  constructor(a?: ParamsInput<RMSpropOptions> | Partial<RMSpropOptions> | null, b?: Partial<RMSpropOptions>) {
    const { params, opts } = splitArgs<RMSpropOptions, Partial<RMSpropOptions>>(a, b);
    super(params, { ...DEFAULTS, ...opts }, 'RMSprop');
    registerClassOnce(RMSprop);
  }

  protected checkGroup(g: RMSpropOptions, where: string): void {
    checkCommon('RMSprop', g, where);
    checkNumber('RMSprop', `${where}.alpha`, g.alpha, { min: 0, max: 1 });
    checkNumber('RMSprop', `${where}.eps`, g.eps, { min: 0 });
    checkNumber('RMSprop', `${where}.momentum`, g.momentum, { min: 0 });
    checkBool('RMSprop', `${where}.centered`, g.centered);
  }

  protected updateParam(p: tf.Variable, g: tf.Tensor, group: ParamGroup<RMSpropOptions>, st: ParamState): void {
    if (fusedRmsprop(p, g, group, st, (n, i) => this.buffer(st, n, i))) return; // wasm, cpu: one fused kernel
    const { alpha, eps, momentum, lr } = group;
    const d = effectiveGrad(tf, p, g, group, true);
    const sq = this.buffer(st, 'square_avg', () => tf.zerosLike(p));
    sq.assign(tf.add(tf.mul(sq, alpha), tf.mul(tf.square(d), 1 - alpha)));
    let den: tf.Tensor;
    if (group.centered) {
      const ga = this.buffer(st, 'grad_avg', () => tf.zerosLike(p));
      ga.assign(tf.add(tf.mul(ga, alpha), tf.mul(d, 1 - alpha)));
      den = tf.add(tf.sqrt(tf.relu(tf.sub(sq, tf.square(ga)))), eps);
    } else {
      den = tf.add(tf.sqrt(sq), eps);
    }
    if (momentum > 0) {
      const buf = this.buffer(st, 'momentum_buffer', () => tf.zerosLike(p));
      buf.assign(tf.add(tf.mul(buf, momentum), tf.div(d, den)));
      p.assign(tf.sub(p, tf.mul(buf, lr)));
    } else {
      p.assign(tf.sub(p, tf.mul(tf.div(d, den), lr)));
    }
  }
}
