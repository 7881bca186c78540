import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber } from '@fovea/core';
import { Optimizer, registerClassOnce, type GroupOptions, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { checkBool, checkCommon, effectiveGrad, splitArgs } from './_options.js';
import { fusedSgd } from './_fused.js';

/** {@link SGD}'s hyper-parameters (each group may set its own). @category Optimizers */
export interface SGDOptions extends GroupOptions {
  /** Momentum factor μ; default 0 (plain SGD). */
  momentum: number;
  /** Dampening for momentum; default 0. */
  dampening: number;
  /** Nesterov momentum (needs `momentum > 0` and `dampening = 0`); default false. */
  nesterov: boolean;
}

const DEFAULTS: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum,
 * exactly `torch.optim.SGD` (PyTorch 1.13):
 * `g ← g + wd·x`; with momentum `buf ← g` at the first step, then
 * `buf ← μ·buf + (1 − dampening)·g`, and `g ← g + μ·buf` (Nesterov) or
 * `g ← buf`; finally `x ← x − lr·g`.
 *
 * Takes `module.parameters()` or parameter groups (see {@link ParamGroupInput}),
 * or only options for use with tfjs-layers (`model.compile({ optimizer: new SGD({ lr: 0.1 }) })`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD } from '@fovea/optim';
 * const x = new Parameter(tf.tensor1d([1, -2]));
 * const opt = new SGD([x], { lr: 0.1, momentum: 0.9, nesterov: true });
 * opt.zeroGrad();
 * opt.backward(() => tf.sum(tf.square(x))).dispose(); // grad 2x
 * opt.step();
 * x.print(); // [0.62, -1.24]
 * ```
 * @category Optimizers
 */
export class SGD extends Optimizer<SGDOptions> {
  /** The tfjs serialization name. */
  static get className(): string {
    return 'FoveaSGD';
  }

  /**
   * @param params parameters or parameter groups (omit, or pass options only, for tfjs-layers).
   * @param options hyper-parameters; defaults `lr 1e-3`, `momentum 0`, `dampening 0`, `weightDecay 0`, `nesterov false`.
   */
  constructor(params: ParamsInput<SGDOptions> | null, options?: Partial<SGDOptions>);
  constructor(options?: Partial<SGDOptions>);
  constructor(a?: ParamsInput<SGDOptions> | Partial<SGDOptions> | null, b?: Partial<SGDOptions>) {
    const { params, opts } = splitArgs<SGDOptions, Partial<SGDOptions>>(a, b);
    super(params, { ...DEFAULTS, ...opts }, 'SGD');
    registerClassOnce(SGD);
  }

  protected checkGroup(g: SGDOptions, where: string): void {
    checkCommon('SGD', g, where);
    checkNumber('SGD', `${where}.momentum`, g.momentum, { min: 0 });
    checkNumber('SGD', `${where}.dampening`, g.dampening);
    checkBool('SGD', `${where}.nesterov`, g.nesterov);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new FoveaError({ op: 'SGD', arg: `${where}.nesterov`, expected: 'momentum > 0 and dampening 0 with nesterov', got: `momentum ${g.momentum}, dampening ${g.dampening}` });
    }
  }

  protected updateParam(p: tf.Variable, g: tf.Tensor, group: ParamGroup<SGDOptions>, st: ParamState): void {
    if (fusedSgd(p, g, group, st, (n, i) => this.buffer(st, n, i))) return; // wasm, cpu: one fused kernel
    let d = effectiveGrad(tf, p, g, group, true);
    if (group.momentum !== 0) {
      const first = !st.buffers.has('momentum_buffer');
      const buf = this.buffer(st, 'momentum_buffer', () => tf.clone(d));
      if (!first) {
        const scaled = group.dampening === 0 ? d : tf.mul(d, 1 - group.dampening);
        buf.assign(tf.add(tf.mul(buf, group.momentum), scaled));
      }
      d = group.nesterov ? tf.add(d, tf.mul(buf, group.momentum)) : buf;
    }
    p.assign(tf.sub(p, tf.mul(d, group.lr)));
  }
}
