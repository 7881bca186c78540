import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, defaultBiasInit, defaultWeightInit, formatShape, linearWeightLayout, type Generator, type Parameter } from '@fovea/core';
import { linear } from '@fovea/layers';
import { checkSize, genOpt } from '../_internal/args.js';

/**
 * A linear layer whose weight is multiplied by a fixed 0/1 mask (MADE's
 * building block, Germain et al., 2015): `y = x (W ⊙ M) + b`. Parameters
 * `weight` (PyTorch `[out, in]`), `bias` `[out]` and the persistent buffer
 * `mask` (PyTorch `[out, in]`), as in the usual PyTorch `MaskedLinear(nn.Linear)`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MaskedLinear } from '@fovea/generative';
 * const layer = new MaskedLinear(3, 2, tf.tensor2d([[1, 0], [1, 1], [0, 1]])); // mask [in, out]
 * layer.forward(tf.ones([4, 3])).shape; // [4, 2]; output 0 ignores input 2
 * ```
 * @category Flows
 */
export class MaskedLinear extends Module<[tf.Tensor], tf.Tensor> {
  /** `[in, out]` (PyTorch `[out, in]`). */
  readonly weight: Parameter;
  /** `[out]`. */
  readonly bias: Parameter;
  /** `[in, out]` 0/1 (PyTorch `[out, in]`), not trained. */
  readonly mask: Parameter;

  /**
   * @param inFeatures `D_in`.
   * @param outFeatures `D_out`.
   * @param mask float32 `[D_in, D_out]` of 0 and 1 (copied; the caller keeps it).
   * @param opts generator for the initial weights.
   */
  constructor(inFeatures: number, outFeatures: number, mask: tf.Tensor, opts: { generator?: Generator } = {}) {
    super();
    const op = 'MaskedLinear';
    const i = checkSize(op, 'inFeatures', inFeatures);
    const o = checkSize(op, 'outFeatures', outFeatures);
    checkTensor(op, 'mask', mask, { dtype: 'float32', rank: 2 });
    if (mask.shape[0] !== i || mask.shape[1] !== o) throw new FoveaError({ op, arg: 'mask', expected: `shape [${i}, ${o}] ([in, out])`, got: `shape ${formatShape(mask.shape)}` });
    const g = genOpt(opts.generator);
    this.weight = this.registerParameter('weight', defaultWeightInit([i, o], { layout: linearWeightLayout, ...g }), { layout: linearWeightLayout });
    this.bias = this.registerParameter('bias', defaultBiasInit([o], i, g));
    this.mask = this.registerBuffer('mask', tf.clone(mask), { layout: linearWeightLayout });
  }

  /** `x [..., in]` → `[..., out]`. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => linear(x, tf.mul(this.weight, this.mask), this.bias));
  }
}
