import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor, type Module } from '@fovea/core';
import type { Optimizer } from '../optimizers/optimizer.js';

/** Options for {@link overfitSmallSample}. @category Recipes */
export interface OverfitOptions {
  /** Optimizer steps on the same batch; default 200. */
  steps?: number;
  /** Loss that counts as "overfit"; default 0.05. */
  targetLoss?: number;
}

/** What {@link overfitSmallSample} found. @category Recipes */
export interface OverfitReport {
  /** The loss before each step. */
  losses: number[];
  /** The loss after the last step. */
  finalLoss: number;
  /** The step at which the loss first went below `targetLoss`, or `null`. */
  reachedAt: number | null;
}

/**
 * The course's second sanity check: a model that cannot drive the training
 * loss to ~0 on a handful of examples (no regularisation) has a bug or far
 * too small a learning rate. Trains `model` in place on one small batch;
 * reads the loss once per step.
 *
 * @example
 * ```ts
 * import { crossEntropy } from '@fovea/core';
 * import { Adam, overfitSmallSample } from '@fovea/optim';
 * const r = await overfitSmallSample(model, new Adam(model.parameters(), { lr: 1e-2 }), x.slice(0, 16), y.slice(0, 16), crossEntropy);
 * r.reachedAt; // e.g. 43: the loss was below 0.05 after 43 steps
 * ```
 * @category Recipes
 */
export async function overfitSmallSample(
  model: Module,
  optimizer: Optimizer,
  x: tf.Tensor,
  y: tf.Tensor,
  loss: (pred: tf.Tensor, y: tf.Tensor) => tf.Tensor,
  opts: OverfitOptions = {},
): Promise<OverfitReport> {
  checkTensor('overfitSmallSample', 'x', x);
  checkTensor('overfitSmallSample', 'y', y);
  const steps = checkNumber('overfitSmallSample', 'opts.steps', opts.steps ?? 200, { integer: true, min: 1 });
  const target = checkNumber('overfitSmallSample', 'opts.targetLoss', opts.targetLoss ?? 0.05, { min: 0 });
  model.train();
  const losses: number[] = [];
  let reachedAt: number | null = null;
  for (let s = 0; s < steps; s++) {
    optimizer.zeroGrad();
    const l = optimizer.backward(() => loss(model.forward(x) as tf.Tensor, y) as tf.Scalar);
    optimizer.step();
    losses.push((await l.data())[0]!);
    l.dispose();
    if (reachedAt === null && losses[s]! < target) reachedAt = s;
  }
  optimizer.zeroGrad();
  const f = tf.tidy(() => loss(model.forward(x) as tf.Tensor, y));
  const finalLoss = (await f.data())[0]!;
  f.dispose();
  if (reachedAt === null && finalLoss < target) reachedAt = steps;
  return { losses, finalLoss, reachedAt };
}
