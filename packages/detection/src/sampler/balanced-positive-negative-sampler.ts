import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor, defaultGenerator, type Generator } from '@fovea/core';

/** Options for {@link BalancedPositiveNegativeSampler}. @category Sampling */
export interface SamplerOptions {
  /** Boxes sampled per image (positives + negatives), e.g. 256 (RPN) or 512 (Fast R-CNN). */
  batchSizePerImage: number;
  /** Largest share of positives, e.g. 0.5 (RPN) or 0.25 (Fast R-CNN). */
  positiveFraction: number;
  /** The random stream; default core's {@link defaultGenerator}. */
  generator?: Generator;
}

/** What {@link BalancedPositiveNegativeSampler.sample} returns: one mask per image. @category Sampling */
export interface SampledMasks {
  /** `[N_i]` bool masks of the sampled positives, one per image. */
  positive: tf.Tensor1D[];
  /** `[N_i]` bool masks of the sampled negatives, one per image. */
  negative: tf.Tensor1D[];
}

/**
 * torchvision's `BalancedPositiveNegativeSampler`: per image, draws at most
 * `⌊batchSizePerImage · positiveFraction⌋` positives (labels `>= 1`) and
 * fills the rest of the batch with negatives (label `0`); labels `-1` are
 * never sampled. The draw is a random permutation from core's seeded
 * {@link Generator} (torchvision uses `torch.randperm`), so a seed reproduces it.
 * Async: reads the labels back.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Generator } from '@fovea/core';
 * import { BalancedPositiveNegativeSampler } from '@fovea/detection';
 * const sampler = new BalancedPositiveNegativeSampler({ batchSizePerImage: 4, positiveFraction: 0.5, generator: new Generator(0) });
 * const labels = tf.tensor1d([1, 0, 0, -1, 1, 1, 0, 0], 'int32');
 * const { positive, negative } = await sampler.sample([labels]);
 * // positive[0]: two of the three label-1 boxes; negative[0]: two of the four label-0 boxes
 * ```
 * @category Sampling
 */
export class BalancedPositiveNegativeSampler {
  readonly batchSizePerImage: number;
  readonly positiveFraction: number;
  private readonly generator: Generator | undefined;

  constructor(opts: SamplerOptions) {
    const op = 'BalancedPositiveNegativeSampler';
    this.batchSizePerImage = checkNumber(op, 'options.batchSizePerImage', opts.batchSizePerImage, { integer: true, min: 0 });
    this.positiveFraction = checkNumber(op, 'options.positiveFraction', opts.positiveFraction, { min: 0, max: 1 });
    this.generator = opts.generator;
  }

  /**
   * @param labels per image, `[N_i]` labels: `>= 1` foreground, `0` background, `-1` ignored.
   * @returns bool masks of the sampled positives and negatives per image (the caller owns them).
   */
  async sample(labels: tf.Tensor | tf.Tensor[]): Promise<SampledMasks> {
    const op = 'BalancedPositiveNegativeSampler.sample';
    const list = Array.isArray(labels) ? labels : [labels];
    list.forEach((l, i) => checkTensor(op, `labels[${i}]`, l, { rank: 1, dtype: ['int32', 'float32'] }));
    const data = await Promise.all(list.map((l) => l.data()));
    const g = this.generator ?? defaultGenerator();
    const positive: tf.Tensor1D[] = [];
    const negative: tf.Tensor1D[] = [];
    for (const d of data) {
      const pos: number[] = [];
      const neg: number[] = [];
      for (let i = 0; i < d.length; i++) {
        if (d[i]! >= 1) pos.push(i);
        else if (d[i] === 0) neg.push(i);
      }
      const numPos = Math.min(pos.length, Math.floor(this.batchSizePerImage * this.positiveFraction));
      const numNeg = Math.min(neg.length, this.batchSizePerImage - numPos);
      positive.push(mask(d.length, pos, g.permutation(pos.length).subarray(0, numPos)));
      negative.push(mask(d.length, neg, g.permutation(neg.length).subarray(0, numNeg)));
    }
    return { positive, negative };
  }
}

function mask(n: number, members: number[], pick: Int32Array): tf.Tensor1D {
  const m = new Uint8Array(n);
  for (let t = 0; t < pick.length; t++) m[members[pick[t]!]!] = 1;
  return tf.tensor1d(m, 'bool');
}
