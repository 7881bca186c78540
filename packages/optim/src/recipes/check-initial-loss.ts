import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor, type Module } from '@fovea/core';

/** Options for {@link checkInitialLoss}. @category Recipes */
export interface CheckInitialLossOptions {
  /** Number of classes K; default the size of the prediction's last dimension. */
  numClasses?: number;
  /** Accepted relative deviation from `log K`; default 0.25. */
  tolerance?: number;
}

/** What {@link checkInitialLoss} found. @category Recipes */
export interface InitialLossReport {
  /** The loss of the untrained model on the batch. */
  loss: number;
  /** `log K`, the loss of a softmax classifier that knows nothing. */
  expected: number;
  /** `loss / expected`. */
  ratio: number;
  /** Whether `|ratio − 1| <= tolerance`. */
  ok: boolean;
}

/**
 * The first step of the course's recipe: before training, a softmax
 * classifier with small random weights should have a cross-entropy of about
 * `log K` (uniform predictions). A much larger value means a bad
 * initialisation or a bug in the loss. Runs the model in eval mode.
 *
 * @param model returns logits `[N, K]`.
 * @param x a batch of inputs.
 * @param y its labels `[N]`.
 * @param loss the loss, e.g. core's `crossEntropy`.
 * @example
 * ```ts
 * import { crossEntropy } from '@fovea/core';
 * import { checkInitialLoss } from '@fovea/optim';
 * const r = await checkInitialLoss(model, x, y, crossEntropy);
 * // { loss: 2.31, expected: 2.3026, ratio: 1.003, ok: true } for 10 classes
 * ```
 * @category Recipes
 */
export async function checkInitialLoss(
  model: Module,
  x: tf.Tensor,
  y: tf.Tensor,
  loss: (pred: tf.Tensor, y: tf.Tensor) => tf.Tensor,
  opts: CheckInitialLossOptions = {},
): Promise<InitialLossReport> {
  checkTensor('checkInitialLoss', 'x', x);
  checkTensor('checkInitialLoss', 'y', y);
  const tol = checkNumber('checkInitialLoss', 'opts.tolerance', opts.tolerance ?? 0.25, { gt: 0 });
  const wasTraining = model.training;
  model.eval();
  let k = opts.numClasses;
  let value: number;
  try {
    const l = tf.tidy(() => {
      const pred = model.forward(x) as tf.Tensor;
      k ??= pred.shape[pred.rank - 1];
      return loss(pred, y);
    });
    value = (await l.data())[0]!;
    l.dispose();
  } finally {
    model.train(wasTraining);
  }
  checkNumber('checkInitialLoss', 'numClasses', k, { integer: true, min: 2 });
  const expected = Math.log(k!);
  const ratio = value / expected;
  return { loss: value, expected, ratio, ok: Math.abs(ratio - 1) <= tol };
}
