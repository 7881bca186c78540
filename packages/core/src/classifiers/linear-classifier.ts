import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { smallRandom } from '../init/small-random.js';
import { linearWeightLayout } from '../interop/layout.js';
import { crossEntropy } from '../losses/cross-entropy.js';
import { svmLoss } from '../losses/svm-loss.js';
import { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { l2 } from '../regularization/l2.js';
import { checkTensor } from '../validate/shape.js';
import { checkNumber, checkOneOf } from '../validate/values.js';

/** The data loss a {@link LinearClassifier} minimises: softmax cross-entropy or the multiclass SVM hinge. @category Classifiers */
export type LinearLoss = 'softmax' | 'svm';

/** Options for {@link LinearClassifier}. @category Classifiers */
export interface LinearClassifierOptions {
  /** Input features D (e.g. 784 for 28×28 digits). */
  numFeatures: number;
  /** Classes K. */
  numClasses: number;
  /** `'softmax'` (default) or `'svm'`. */
  loss?: LinearLoss;
  /** L2 strength λ: the loss adds `λ · Σ W²` (CS231n's `reg`, biases not penalised); default 1e-5. */
  reg?: number;
  /** SVM margin Δ; default 1. */
  margin?: number;
  /** Learn a bias `[K]`; default `true`. */
  bias?: boolean;
  /** Std of the initial weights (`std · N(0, 1)`, CS231n's 0.001); default 0.001. */
  initStd?: number;
  /** Generator for the initial weights and the minibatch order; default the default generator. */
  generator?: Generator;
}

/** Options for {@link LinearClassifier.fit}. @category Classifiers */
export interface LinearFitOptions {
  /** Passes over the training set; default 10. */
  epochs?: number;
  /** Minibatch size (sampled without replacement each epoch); default 200. */
  batchSize?: number;
  /** SGD step size; default 0.1 (suits features of unit scale, e.g. pixels in [0, 1]; CS231n's raw 0–255 pixels need ~1e-7). */
  learningRate?: number;
  /** Multiply the learning rate by this after each epoch; default 1 (constant). */
  lrDecay?: number;
  /** Called after each step with the minibatch loss. */
  onStep?: (info: { step: number; totalSteps: number; epoch: number; loss: number }) => void;
  /** Called after each epoch with its mean minibatch loss. */
  onEpoch?: (info: { epoch: number; epochs: number; loss: number; learningRate: number }) => void | Promise<void>;
}

/**
 * A linear classifier `scores = x @ W + b` (CS231n's `LinearSVM` / `Softmax`),
 * trained by minibatch SGD on the softmax cross-entropy or the multiclass SVM loss
 * plus `reg · Σ W²`. `weight` is `[D, K]`: each column reshaped to the input image
 * is the learned **template** of its class. It is a {@link Module}, so
 * `stateDict()` gives PyTorch's `nn.Linear(D, K)` keys and layout (`weight` `[K, D]`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LinearClassifier, Generator } from '@fovea/core';
 * const clf = new LinearClassifier({ numFeatures: 2, numClasses: 2, generator: new Generator(0) });
 * const x = tf.tensor2d([[1, 0], [2, 0], [0, 1], [0, 2]]);
 * const y = tf.tensor1d([0, 0, 1, 1], 'int32');
 * await clf.fit(x, y, { epochs: 200, batchSize: 4, learningRate: 0.5 });
 * clf.predict(x).print(); // [0, 0, 1, 1]
 * clf.weight.shape;       // [2, 2]: one template column per class
 * clf.dispose();
 * ```
 * @category Classifiers
 */
export class LinearClassifier extends Module<[tf.Tensor], tf.Tensor> {
  /** `[D, K]` weights; column `k` is class `k`'s template. */
  readonly weight: Parameter;
  /** `[K]` biases, or `null`. */
  readonly bias: Parameter | null;
  /** The data loss. */
  readonly lossKind: LinearLoss;
  /** L2 strength λ. */
  readonly reg: number;
  /** SVM margin. */
  readonly margin: number;
  private readonly generator: Generator;

  constructor(opts: LinearClassifierOptions) {
    super();
    const op = 'LinearClassifier';
    const d = checkNumber(op, 'options.numFeatures', opts?.numFeatures, { integer: true, min: 1 });
    const k = checkNumber(op, 'options.numClasses', opts.numClasses, { integer: true, min: 2 });
    this.lossKind = checkOneOf(op, 'options.loss', opts.loss ?? 'softmax', ['softmax', 'svm'] as const);
    this.reg = checkNumber(op, 'options.reg', opts.reg ?? 1e-5, { min: 0 });
    this.margin = checkNumber(op, 'options.margin', opts.margin ?? 1);
    const std = checkNumber(op, 'options.initStd', opts.initStd ?? 0.001, { min: 0 });
    this.generator = opts.generator ?? defaultGenerator();
    this.weight = this.registerParameter('weight', smallRandom([d, k], { std, layout: linearWeightLayout, generator: this.generator }), { layout: linearWeightLayout });
    this.bias = opts.bias === false ? this.registerParameter('bias', null) : this.registerParameter('bias', tf.zeros([k]));
  }

  /** `[D, K]` the class templates (the `weight` parameter itself; do not dispose it). */
  get weights(): tf.Tensor {
    return this.weight;
  }

  private checkX(op: string, x: unknown): asserts x is tf.Tensor {
    checkTensor(op, 'x', x, { dtype: 'float32', shape: [null, this.weight.shape[0]!] });
  }

  /** Class scores `[N, K]` for `x` `[N, D]`. */
  forward(x: tf.Tensor): tf.Tensor {
    this.checkX('LinearClassifier.forward', x);
    return tf.tidy(() => {
      const s = tf.matMul(x, this.weight); // [N, K]
      return this.bias ? tf.add(s, this.bias) : s;
    });
  }

  /** The training objective on `x` `[N, D]`, `y` int32 `[N]`: mean data loss + `reg · Σ W²`, a scalar. */
  loss(x: tf.Tensor, y: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const scores = this.forward(x);
      const data = this.lossKind === 'svm' ? svmLoss(scores, y, { margin: this.margin }) : crossEntropy(scores, y);
      return (this.reg > 0 ? tf.add(data, tf.mul(l2(this.weight), this.reg)) : data) as tf.Scalar;
    });
  }

  /** Predicted labels, int32 `[N]` (the arg-max score). */
  predict(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.cast(tf.argMax(this.forward(x), 1), 'int32'));
  }

  /** Accuracy on `x` `[N, D]` with labels `y` `[N]`, in [0, 1] (read back, so async). */
  async score(x: tf.Tensor, y: tf.Tensor): Promise<number> {
    checkTensor('LinearClassifier.score', 'y', y, { dtype: 'int32', shape: [x.shape[0] ?? 0] });
    if (x.shape[0] === 0) return 0;
    const right = tf.tidy(() => tf.sum(tf.cast(tf.equal(this.predict(x), y), 'float32')));
    const v = (await right.data())[0]!;
    right.dispose();
    return v / x.shape[0]!;
  }

  /**
   * Trains by minibatch SGD (shuffled each epoch with the classifier's generator).
   * Resolves to the loss of every step.
   */
  async fit(x: tf.Tensor, y: tf.Tensor, opts: LinearFitOptions = {}): Promise<{ lossHistory: number[] }> {
    const op = 'LinearClassifier.fit';
    this.checkX(op, x);
    checkTensor(op, 'y', y, { dtype: 'int32', shape: [x.shape[0]!] });
    const n = x.shape[0]!;
    if (n === 0) throw new FoveaError({ op, arg: 'x', expected: 'at least one training row', got: 'shape [0, D]' });
    const epochs = checkNumber(op, 'options.epochs', opts.epochs ?? 10, { integer: true, min: 0 });
    const batchSize = Math.min(n, checkNumber(op, 'options.batchSize', opts.batchSize ?? 200, { integer: true, min: 1 }));
    let lr = checkNumber(op, 'options.learningRate', opts.learningRate ?? 0.1, { gt: 0 });
    const decay = checkNumber(op, 'options.lrDecay', opts.lrDecay ?? 1, { gt: 0 });
    const params = this.trainableParameters();
    const perEpoch = Math.ceil(n / batchSize);
    const history: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = this.generator.permutation(n);
      let sum = 0;
      for (let b = 0; b < perEpoch; b++) {
        const loss = this.step(x, y, order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize)), params, lr);
        const value = (await loss.data())[0]!;
        loss.dispose();
        if (!Number.isFinite(value)) {
          throw new FoveaError({ op, arg: 'options.learningRate', expected: 'a step size that keeps the loss finite', got: `${lr} (loss ${value} at epoch ${epoch}, step ${b})` });
        }
        history.push(value);
        sum += value;
        opts.onStep?.({ step: history.length, totalSteps: epochs * perEpoch, epoch, loss: value });
      }
      await opts.onEpoch?.({ epoch, epochs, loss: sum / perEpoch, learningRate: lr });
      lr *= decay;
    }
    return { lossHistory: history };
  }

  /** One SGD step on the rows `idx`; returns the minibatch loss (before the update). */
  private step(x: tf.Tensor, y: tf.Tensor, idx: Int32Array, params: Parameter[], lr: number): tf.Tensor {
    return tf.tidy(() => {
      const rows = tf.tensor1d(idx, 'int32');
      const xb = tf.gather(x, rows); // [B, D]
      const yb = tf.gather(y, rows); // [B]
      const { value, grads } = tf.variableGrads(() => this.loss(xb, yb), params);
      for (const p of params) {
        const g = grads[p.name];
        if (g) p.assign(tf.sub(p, tf.mul(g, lr)));
      }
      return value;
    });
  }
}
