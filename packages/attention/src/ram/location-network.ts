import * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber, checkTensor, randn, type Generator } from '@fovea/core';
import { Linear } from '@fovea/layers';
import { checkSize, genOpt } from '../_internal/args.js';
import { detach } from '../_internal/detach.js';
import { tidyObject } from '../_internal/tidy.js';

/** Options of {@link LocationNetwork}. @category Recurrent attention */
export interface LocationNetworkOptions {
  /** Standard deviation `σ` of the Gaussian policy, in location units (`[-1, 1]` spans the image); default 0.1. */
  std?: number;
  /** Random source for the initial weights and the samples (default: core's default generator). */
  generator?: Generator;
}

/** What {@link LocationNetwork} returns. @category Recurrent attention */
export interface LocationSample {
  /** `[B, 2]` the policy's mean `μ = tanh(fc(h))`. */
  mean: tf.Tensor2D;
  /** `[B, 2]` where to look next, `clip(μ + σ·ε, -1, 1)` in training (`μ` in eval mode); carries no gradient. */
  location: tf.Tensor2D;
  /** `[B]` `log π(l | μ)` of the (unclipped) sample under `N(μ, σ²I)`: the REINFORCE term's gradient flows through `μ`. */
  logProb: tf.Tensor1D;
}

/**
 * The location network of the recurrent attention model: a Gaussian policy
 * over the next glimpse location, `l ~ N(tanh(fc(h)), σ²I)`. Its input is
 * the core state with the gradient stopped (as in the reference
 * implementations), so only the REINFORCE term trains `fc`. In eval mode it
 * returns the mean.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LocationNetwork } from '@fovea/attention';
 * const loc = new LocationNetwork(256, { std: 0.1 });
 * const { location, logProb } = loc.forward(tf.zeros([4, 256]));
 * location.shape; // [4, 2], in [-1, 1]
 * logProb.shape;  // [4]
 * ```
 * @category Recurrent attention
 */
export class LocationNetwork extends Module<[tf.Tensor], LocationSample> {
  /** `σ`, the policy's standard deviation. */
  readonly std: number;
  /** The mean layer `Linear(H, 2)` (before tanh). */
  readonly fc: Linear;
  private readonly generator: Generator | undefined;

  /**
   * @param inputSize width `H` of the core state.
   * @param opts std, generator.
   */
  constructor(inputSize: number, opts: LocationNetworkOptions = {}) {
    super();
    const op = 'LocationNetwork';
    this.std = checkNumber(op, 'options.std', opts.std ?? 0.1, { gt: 0 });
    this.generator = opts.generator;
    this.fc = this.registerModule('fc', new Linear(checkSize(op, 'inputSize', inputSize), 2, genOpt(opts.generator)));
  }

  /** `h [B, H]` → the mean, the sampled location and its log-probability. */
  forward(h: tf.Tensor): LocationSample {
    checkTensor('LocationNetwork.forward', 'h', h, { shape: [null, this.fc.inFeatures], dtype: 'float32' });
    const b = h.shape[0]!;
    const noise = this.training ? randn([b, 2], { std: this.std, ...genOpt(this.generator) }) : null;
    try {
      return tidyObject(() => {
      const mean = tf.tanh(this.fc.forward(detach(h))) as tf.Tensor2D; // [B, 2]
      const sample = noise ? detach(tf.add(mean, noise)) : detach(mean); // the action: no gradient
      const z = tf.div(tf.sub(sample, mean), this.std);
      const logProb = tf.sum(tf.sub(tf.mul(tf.square(z), -0.5), Math.log(this.std) + 0.5 * Math.log(2 * Math.PI)), 1) as tf.Tensor1D; // [B]
      return { mean, location: tf.clipByValue(sample, -1, 1) as tf.Tensor2D, logProb };
      });
    } finally {
      noise?.dispose();
    }
  }
}
