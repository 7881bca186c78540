import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkOneOf, checkTensor, crossEntropy, uniform, type Generator } from '@fovea/core';
import { Linear } from '@fovea/layers';
import { LSTMCell, RNNCell } from '@fovea/rnn';
import { checkSize, genOpt } from '../_internal/args.js';
import { detach, noGrad } from '../_internal/detach.js';
import { tidyObject } from '../_internal/tidy.js';
import { GlimpseNetwork, type GlimpseNetworkOptions } from './glimpse-network.js';
import { LocationNetwork } from './location-network.js';

/** Options of {@link RecurrentAttentionModel}. @category Recurrent attention */
export interface RecurrentAttentionModelOptions extends GlimpseNetworkOptions {
  /** Classes `K`; default 10. */
  numClasses?: number;
  /** Width `H` of the core state; default 256. */
  hiddenSize?: number;
  /** Glimpses `T` per image; default 6. */
  numGlimpses?: number;
  /** The core network from @fovea/rnn: `'rnn'` (an `RNNCell` with ReLU, as in the paper's MNIST models) or `'lstm'`; default `'rnn'`. */
  core?: 'rnn' | 'lstm';
  /** Standard deviation of the location policy; default 0.1. */
  locationStd?: number;
  /** First glimpse at the centre (`'center'`) or at a uniformly random location (`'random'`); default `'center'`. */
  initialLocation?: 'center' | 'random';
}

/** What {@link RecurrentAttentionModel.forward} returns (the caller disposes the tensors). @category Recurrent attention */
export interface RAMOutput {
  /** `[B, K]` class scores after the last glimpse. */
  logits: tf.Tensor2D;
  /** `[B, T, 2]` every glimpse centre `(x, y)` in `[-1, 1]`, the first one included. */
  locations: tf.Tensor3D;
  /** `[B, T-1]` log-probabilities of the chosen locations 2…T (gradients flow to the location network). */
  logProbs: tf.Tensor2D;
  /** `[B, T-1]` the baseline's reward prediction at each choice. */
  baselines: tf.Tensor2D;
}

/**
 * The recurrent attention model (Mnih et al. 2014, "Recurrent Models of
 * Visual Attention"): instead of processing the whole image, it takes `T`
 * glimpses. At each step the {@link GlimpseNetwork} encodes the multi-resolution
 * patch at the current location, the core RNN (`RNNCell` or `LSTMCell` from
 * @fovea/rnn) updates its state, the {@link LocationNetwork} samples where to
 * look next and a baseline predicts the reward; after the last glimpse a
 * classifier reads the state. The location policy is not differentiable and
 * is trained with REINFORCE ({@link ramLoss}). Children: `glimpse`, `core`,
 * `locator`, `baseline`, `classifier`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RecurrentAttentionModel, ramLoss } from '@fovea/attention';
 * const ram = new RecurrentAttentionModel({ size: 12, depth: 3, scale: 2, numGlimpses: 6 });
 * const images = tf.zeros([8, 60, 60, 1]);
 * const labels = tf.zeros([8], 'int32');
 * const { value, grads } = tf.variableGrads(() => ramLoss(ram.forward(images), labels).loss);
 * ```
 * @category Recurrent attention
 */
export class RecurrentAttentionModel extends Module<[tf.Tensor], RAMOutput> {
  /** `T`, glimpses per image. */
  readonly numGlimpses: number;
  /** `H`, the width of the core state. */
  readonly hiddenSize: number;
  /** The core: `'rnn'` (ReLU RNN cell) or `'lstm'`. */
  readonly coreType: 'rnn' | 'lstm';
  /** Where the first glimpse looks. */
  readonly initialLocation: 'center' | 'random';
  /** The glimpse network. */
  readonly glimpse: GlimpseNetwork;
  /** The core recurrent cell from @fovea/rnn. */
  readonly core: RNNCell | LSTMCell;
  /** The location policy. */
  readonly locator: LocationNetwork;
  /** The reward baseline `Linear(H, 1)`. */
  readonly baseline: Linear;
  /** The classifier `Linear(H, K)`. */
  readonly classifier: Linear;
  private readonly generator: Generator | undefined;

  /** @param opts sensor, widths, glimpses, core, location policy, generator. */
  constructor(opts: RecurrentAttentionModelOptions = {}) {
    super();
    const op = 'RecurrentAttentionModel';
    const gen = genOpt(opts.generator);
    this.generator = opts.generator;
    this.numGlimpses = checkSize(op, 'options.numGlimpses', opts.numGlimpses ?? 6);
    this.hiddenSize = checkSize(op, 'options.hiddenSize', opts.hiddenSize ?? 256);
    this.coreType = checkOneOf(op, 'options.core', opts.core ?? 'rnn', ['rnn', 'lstm'] as const);
    this.initialLocation = checkOneOf(op, 'options.initialLocation', opts.initialLocation ?? 'center', ['center', 'random'] as const);
    const k = checkSize(op, 'options.numClasses', opts.numClasses ?? 10);
    this.glimpse = this.registerModule('glimpse', new GlimpseNetwork(opts));
    const g = this.glimpse.outputSize;
    this.core = this.registerModule('core', this.coreType === 'lstm' ? new LSTMCell(g, this.hiddenSize, gen) : new RNNCell(g, this.hiddenSize, { nonlinearity: 'relu', ...gen }));
    this.locator = this.registerModule('locator', new LocationNetwork(this.hiddenSize, { std: opts.locationStd ?? 0.1, ...gen }));
    this.baseline = this.registerModule('baseline', new Linear(this.hiddenSize, 1, gen));
    this.classifier = this.registerModule('classifier', new Linear(this.hiddenSize, k, gen));
  }

  /** One core update: returns the new hidden state (and cell state for an LSTM). */
  private step(g: tf.Tensor, state: [tf.Tensor, tf.Tensor] | null): [tf.Tensor, tf.Tensor] {
    if (this.core instanceof LSTMCell) {
      const s = this.core.forward(g, state ?? undefined);
      return [s.h, s.c];
    }
    const h = this.core.forward(g, state?.[0]);
    return [h, h];
  }

  /**
   * `images [B, H, W, C]` → logits after `T` glimpses, the glimpse path, the
   * log-probabilities of the sampled locations and the baselines.
   *
   * @param images `[B, H, W, C]`.
   * @param numGlimpses `T`; default the model's.
   */
  forward(images: tf.Tensor, numGlimpses = this.numGlimpses): RAMOutput {
    const op = 'RecurrentAttentionModel.forward';
    checkTensor(op, 'images', images, { rank: 4, dtype: 'float32' });
    const t = checkSize(op, 'numGlimpses', numGlimpses);
    const b = images.shape[0]!;
    if (b === 0) throw new FoveaError({ op, arg: 'images', expected: 'a non-empty batch', got: 'B = 0' });
    const first = this.initialLocation === 'random' ? uniform([b, 2], -1, 1, genOpt(this.generator)) : tf.zeros([b, 2]);
    try {
      return tidyObject(() => {
        let loc: tf.Tensor = first; // [B, 2]
        let state: [tf.Tensor, tf.Tensor] | null = null;
        const locations: tf.Tensor[] = [loc];
        const logProbs: tf.Tensor[] = [];
        const baselines: tf.Tensor[] = [];
        for (let i = 0; i < t; i++) {
          state = this.step(this.glimpse.forward(images, loc), state); // h: [B, H]
          if (i === t - 1) break;
          const next = this.locator.forward(state[0]);
          baselines.push(tf.reshape(this.baseline.forward(detach(state[0])), [b])); // [B]
          logProbs.push(next.logProb);
          loc = next.location;
          locations.push(loc);
        }
        const stack = (xs: tf.Tensor[]) => (xs.length ? tf.stack(xs, 1) : tf.zeros([b, 0]));
        return {
          logits: this.classifier.forward(state![0]) as tf.Tensor2D, // [B, K]
          locations: tf.stack(locations, 1) as tf.Tensor3D, // [B, T, 2]
          logProbs: stack(logProbs) as tf.Tensor2D, // [B, T-1]
          baselines: stack(baselines) as tf.Tensor2D, // [B, T-1]
        };
      });
    } finally {
      first.dispose();
    }
  }
}

/** Options of {@link ramLoss}. @category Recurrent attention */
export interface RAMLossOptions {
  /** Weight of the REINFORCE term; default 1. */
  reinforceWeight?: number;
  /** Weight of the baseline's squared error; default 1. */
  baselineWeight?: number;
}

/** The terms of {@link ramLoss} (scalars). @category Recurrent attention */
export interface RAMLoss {
  /** The hybrid loss to minimise: `classification + baselineWeight · baseline + reinforceWeight · reinforce`. */
  loss: tf.Scalar;
  /** Cross-entropy of the final logits. */
  classification: tf.Scalar;
  /** Mean squared error of the baselines against the reward. */
  baseline: tf.Scalar;
  /** The REINFORCE surrogate `-mean_B Σ_t log π_t · (R - b_t)` (advantage without gradient). */
  reinforce: tf.Scalar;
  /** The mean reward: the fraction classified correctly. */
  reward: tf.Scalar;
}

/**
 * The hybrid loss of the recurrent attention model: the classifier learns by
 * cross-entropy; the location policy by REINFORCE with reward `R = 1` for a
 * correct classification (else 0), using the baseline `b_t` to reduce the
 * variance (`∇ ≈ Σ_t ∇log π(l_t) · (R − b_t)`); the baseline by regressing
 * `R`. Returns every term (scalars the caller disposes; pass `.loss` to the
 * optimizer).
 *
 * @param out the model's output.
 * @param labels `[B]` int32 class labels.
 * @param opts reinforceWeight, baselineWeight.
 * @returns the loss and its terms.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RecurrentAttentionModel, ramLoss } from '@fovea/attention';
 * const ram = new RecurrentAttentionModel({ numGlimpses: 4 });
 * const terms = ramLoss(ram.forward(tf.zeros([2, 28, 28, 1])), tf.tensor1d([3, 7], 'int32'));
 * terms.reward.print(); // fraction correct
 * ```
 * @category Recurrent attention
 */
export function ramLoss(out: RAMOutput, labels: tf.Tensor, opts: RAMLossOptions = {}): RAMLoss {
  const op = 'ramLoss';
  const b = out.logits.shape[0]!;
  checkTensor(op, 'labels', labels, { shape: [b], dtype: 'int32' });
  const rw = checkNumber(op, 'options.reinforceWeight', opts.reinforceWeight ?? 1, { min: 0 });
  const bw = checkNumber(op, 'options.baselineWeight', opts.baselineWeight ?? 1, { min: 0 });
  return tidyObject(() => {
    const classification = crossEntropy(out.logits, labels) as tf.Scalar;
    const reward = noGrad(out.logits, (l) => tf.cast(tf.equal(tf.cast(tf.argMax(l, -1), 'int32'), labels), 'float32')); // [B]: 1 when correct
    const r = tf.expandDims(reward, 1); // [B, 1]
    const steps = out.baselines.shape[1]!;
    const baseline = steps ? (tf.mean(tf.square(tf.sub(out.baselines, r))) as tf.Scalar) : tf.scalar(0);
    const advantage = detach(tf.sub(r, out.baselines)); // [B, T-1]
    const reinforce = steps ? (tf.neg(tf.mean(tf.sum(tf.mul(out.logProbs, advantage), 1))) as tf.Scalar) : tf.scalar(0);
    const loss = tf.addN([classification, tf.mul(baseline, bw), tf.mul(reinforce, rw)]) as tf.Scalar;
    return { loss, classification, baseline, reinforce, reward: tf.mean(reward) as tf.Scalar };
  });
}
