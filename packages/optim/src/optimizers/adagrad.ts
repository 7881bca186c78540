import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
import { Optimizer, registerClassOnce, type GroupOptions, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { checkCommon, effectiveGrad, splitArgs } from './_options.js';
import { fusedAdagrad } from './_fused.js';

/** {@link Adagrad}'s hyper-parameters. @category Optimizers */
export interface AdagradOptions extends GroupOptions {
  /** Learning-rate decay: step t uses `lr / (1 + (t − 1)·lrDecay)`; default 0. */
  lrDecay: number;
  /** Initial value of the squared-gradient sum; default 0. */
  initialAccumulatorValue: number;
  /** Added to the denominator outside the square root; default 1e-10. */
  eps: number;
}

const DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/**
 * AdaGrad, exactly `torch.optim.Adagrad` (PyTorch 1.13):
 * `g ← g + wd·x`; `s ← s + g²`; `x ← x − clr·g / (√s + eps)` with
 * `clr = lr / (1 + (t − 1)·lrDecay)`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { Adagrad } from '@fovea/optim';
 * const x = new Parameter(tf.tensor1d([1, -2]));
 * const opt = new Adagrad([x], { lr: 0.5 });
 * opt.backward(() => tf.sum(tf.square(x))).dispose();
 * opt.step();
 * x.print(); // [0.5, -1.5]: the first step moves each entry by lr
 * ```
 * @category Optimizers
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  /** The tfjs serialization name. */
  static get className(): string {
    return 'FoveaAdagrad';
  }

  /**
   * @param params parameters or parameter groups (omit for tfjs-layers).
   * @param options hyper-parameters; defaults `lr 1e-2`, `lrDecay 0`, `weightDecay 0`, `initialAccumulatorValue 0`, `eps 1e-10`.
   */
  constructor(params: ParamsInput<AdagradOptions> | null, options?: Partial<AdagradOptions>);
  constructor(options?: Partial<AdagradOptions>);
  constructor(a?: ParamsInput<AdagradOptions> | Partial<AdagradOptions> | null, b?: Partial<AdagradOptions>) {
    const { params, opts } = splitArgs<AdagradOptions, Partial<AdagradOptions>>(a, b);
    super(params, { ...DEFAULTS, ...opts }, 'Adagrad');
    registerClassOnce(Adagrad);
  }

  protected checkGroup(g: AdagradOptions, where: string): void {
    checkCommon('Adagrad', g, where);
    checkNumber('Adagrad', `${where}.lrDecay`, g.lrDecay, { min: 0 });
    checkNumber('Adagrad', `${where}.initialAccumulatorValue`, g.initialAccumulatorValue, { min: 0 });
    checkNumber('Adagrad', `${where}.eps`, g.eps, { min: 0 });
  }

  protected updateParam(p: tf.Variable, g: tf.Tensor, group: ParamGroup<AdagradOptions>, st: ParamState): void {
    if (fusedAdagrad(p, g, group, st, (n, i) => this.buffer(st, n, i))) return; // wasm, cpu: one fused kernel
    const d = effectiveGrad(tf, p, g, group, true);
    const sum = this.buffer(st, 'sum', () => tf.fill(p.shape, group.initialAccumulatorValue));
    sum.assign(tf.add(sum, tf.square(d)));
    const clr = group.lr / (1 + (st.step - 1) * group.lrDecay);
    p.assign(tf.sub(p, tf.mul(tf.div(d, tf.add(tf.sqrt(sum), group.eps)), clr)));
  }
}
