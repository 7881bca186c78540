import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, type Module } from '@fovea/core';
import type { Optimizer } from '../optimizers/optimizer.js';
import { iterateBatches, unpackBatch } from '../trainer/batches.js';
import type { BatchSource } from '../trainer/types.js';

/** Options for {@link findLr}. @category Recipes */
export interface FindLrOptions {
  /** First learning rate; default 1e-7. */
  startLr?: number;
  /** Last learning rate; default 10. */
  endLr?: number;
  /** Steps of the exponential sweep; default 100. */
  numIters?: number;
  /** Weight of the new loss in the exponential moving average; default 0.05. */
  smoothing?: number;
  /** Stop once the smoothed loss exceeds this multiple of the best; default 4. */
  divergeThreshold?: number;
}

/** What {@link findLr} measured. @category Recipes */
export interface FindLrResult {
  /** The learning rate of each step taken. */
  lrs: number[];
  /** The smoothed (bias-corrected moving average) loss at each step. */
  losses: number[];
  /** The raw batch losses. */
  rawLosses: number[];
  /** The rate where the smoothed loss falls fastest (steepest negative slope over log lr, before the minimum). */
  suggestedLr: number;
  /** The rate of the lowest smoothed loss (a common pick is a tenth of it). */
  minLossLr: number;
  /** Whether the sweep stopped early because the loss diverged. */
  diverged: boolean;
}

/**
 * The learning-rate range test (Smith 2017; the course's "find an LR"
 * step): trains for `numIters` batches while the rate grows exponentially
 * from `startLr` to `endLr`, records the smoothed loss, and suggests the
 * rate where it drops fastest. The model's weights, the optimizer's state
 * and its rates are restored afterwards, so training can start fresh.
 *
 * @param model the model (its `forward` gives predictions).
 * @param optimizer an optimizer over the model's parameters.
 * @param data training batches (cycled if shorter than `numIters`).
 * @param loss the loss, a batch mean.
 * @example
 * ```ts
 * import { crossEntropy } from '@fovea/core';
 * import { Adam, findLr } from '@fovea/optim';
 * const r = await findLr(model, new Adam(model.parameters()), loader, crossEntropy, { numIters: 100 });
 * r.suggestedLr; // e.g. 3e-3
 * ```
 * @category Recipes
 */
export async function findLr(
  model: Module,
  optimizer: Optimizer,
  data: BatchSource,
  loss: (pred: tf.Tensor, y: tf.Tensor) => tf.Tensor,
  opts: FindLrOptions = {},
): Promise<FindLrResult> {
  const op = 'findLr';
  const start = checkNumber(op, 'opts.startLr', opts.startLr ?? 1e-7, { gt: 0 });
  const end = checkNumber(op, 'opts.endLr', opts.endLr ?? 10, { gt: start });
  const n = checkNumber(op, 'opts.numIters', opts.numIters ?? 100, { integer: true, min: 2 });
  const beta = checkNumber(op, 'opts.smoothing', opts.smoothing ?? 0.05, { gt: 0, max: 1 });
  const diverge = checkNumber(op, 'opts.divergeThreshold', opts.divergeThreshold ?? 4, { gt: 1 });
  const weights = model.stateDict();
  const optState = optimizer.stateDict();
  const groupLrs = optimizer.paramGroups.map((g) => g.lr);
  const res: FindLrResult = { lrs: [], losses: [], rawLosses: [], suggestedLr: NaN, minLossLr: NaN, diverged: false };
  try {
    model.train();
    let avg = 0;
    let best = Infinity;
    let epoch = 0;
    outer: while (res.lrs.length < n) {
      let any = false;
      for await (const batch of iterateBatches(data, ++epoch)) {
        any = true;
        const { x, y } = unpackBatch(op, batch, res.lrs.length);
        const lr = start * (end / start) ** (res.lrs.length / (n - 1));
        optimizer.paramGroups.forEach((g) => (g.lr = lr));
        optimizer.zeroGrad();
        const l = optimizer.backward(() => loss(model.forward(x) as tf.Tensor, y) as tf.Scalar);
        optimizer.step();
        const v = (await l.data())[0]!;
        tf.dispose([l, x, y]);
        avg = beta * v + (1 - beta) * avg;
        const smooth = avg / (1 - (1 - beta) ** (res.lrs.length + 1));
        res.lrs.push(lr);
        res.rawLosses.push(v);
        res.losses.push(smooth);
        best = Math.min(best, smooth);
        if (!Number.isFinite(v) || smooth > diverge * best) {
          res.diverged = true;
          break outer;
        }
        if (res.lrs.length >= n) break outer;
      }
      if (!any) throw new FoveaError({ op, arg: 'data', expected: 'at least one batch', got: 'none' });
    }
  } finally {
    optimizer.zeroGrad();
    model.loadStateDict(weights);
    optimizer.loadStateDict(optState);
    optimizer.paramGroups.forEach((g, i) => (g.lr = groupLrs[i]!));
    Object.values(weights).forEach((t) => t.dispose());
    for (const e of Object.values(optState.state)) Object.values(e.tensors).forEach((t) => t.dispose());
  }
  Object.assign(res, suggest(res.lrs, res.losses));
  return res;
}

/**
 * Steepest descent of the smoothed loss over log lr, before the minimum: a
 * central difference over ±k points (k ≈ n/15) that skips the first 10 % of
 * the sweep, where the moving average is still settling. Falls back to a
 * tenth of the minimum's rate when the sweep is too short.
 */
function suggest(lrs: number[], losses: number[]): { suggestedLr: number; minLossLr: number } {
  let iMin = 0;
  losses.forEach((l, i) => {
    if (l < losses[iMin]!) iMin = i;
  });
  const minLossLr = lrs[iMin] ?? NaN;
  const k = Math.max(1, Math.round(lrs.length / 15));
  const from = Math.floor(lrs.length * 0.1) + k;
  let best = -1;
  let steep = 0;
  for (let i = from; i + k <= iMin; i++) {
    const slope = (losses[i + k]! - losses[i - k]!) / (Math.log(lrs[i + k]!) - Math.log(lrs[i - k]!));
    if (slope < steep) {
      steep = slope;
      best = i;
    }
  }
  return { suggestedLr: best >= 0 ? lrs[best]! : minLossLr / 10, minLossLr };
}
