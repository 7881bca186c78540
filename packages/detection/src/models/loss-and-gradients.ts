import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '@fovea/core';
import type { DetectorTarget, PreparedBatch, TrainableDetector } from './types.js';

/** What {@link lossAndGradients} returns. @category Training */
export interface LossAndGradients {
  /** The total training loss (the sum of `losses`). */
  loss: number;
  /** Each named loss term (e.g. `loss_objectness`, `loss_rpn_box_reg`, `loss_classifier`, `loss_box_reg`). */
  losses: Record<string, number>;
  /** Gradients of the total loss by variable name (what `tf.variableGrads` returns and every @fovea/optim optimizer's `step` takes); the caller disposes them. */
  grads: tf.NamedTensorMap;
}

/**
 * One training step's loss and gradients for a detector: awaits
 * `model.prepareTraining(images, targets)` (matching and sampling, which read
 * values back), then differentiates the sum of `model.trainingLosses` with
 * respect to the model's trainable parameters. Pass the gradients to an
 * optimizer's `step` (@fovea/optim), then dispose them.
 *
 * @param model a detector in training mode (`model.train()`).
 * @param images `[N, H, W, 3]` float32 images.
 * @param targets one {@link DetectorTarget} per image.
 * @returns the loss, its terms, and the gradients.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Adam } from '@fovea/optim';
 * import { FasterRCNN, lossAndGradients } from '@fovea/detection';
 * const model = new FasterRCNN({ numClasses: 3 });
 * const optimizer = new Adam(model.trainableParameters(), { lr: 1e-3 });
 * const { loss, losses, grads } = await lossAndGradients(model, images, targets);
 * optimizer.step(grads);
 * tf.dispose(grads);
 * console.log(loss, losses); // e.g. 1.93 { loss_objectness: 0.69, loss_rpn_box_reg: 0.05, loss_classifier: 1.1, loss_box_reg: 0.09 }
 * ```
 * @category Training
 */
export async function lossAndGradients<P extends PreparedBatch>(model: TrainableDetector<P>, images: tf.Tensor4D, targets: DetectorTarget[]): Promise<LossAndGradients> {
  const op = 'lossAndGradients';
  if (!model || typeof model.prepareTraining !== 'function' || typeof model.trainingLosses !== 'function') {
    throw new FoveaError({ op, arg: 'model', expected: 'a trainable detector (prepareTraining and trainingLosses)', got: String(model) });
  }
  const vars = model.trainableParameters();
  if (vars.length === 0) throw new FoveaError({ op, arg: 'model', expected: 'at least one trainable parameter', got: 'none' });
  const prepared = await model.prepareTraining(images, targets);
  let parts: Record<string, tf.Scalar> = {};
  try {
    const { value, grads } = tf.variableGrads(() => {
      parts = model.trainingLosses(images, prepared);
      Object.values(parts).forEach((t) => tf.keep(t));
      return tf.addN(Object.values(parts)) as tf.Scalar;
    }, vars);
    const names = Object.keys(parts);
    const values = await Promise.all([value, ...names.map((k) => parts[k]!)].map((t) => t.data()));
    value.dispose();
    return { loss: values[0]![0]!, losses: Object.fromEntries(names.map((k, i) => [k, values[i + 1]![0]!])), grads };
  } finally {
    tf.dispose(Object.values(parts));
    prepared.dispose();
  }
}
