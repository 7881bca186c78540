import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOneOf, type Reduction } from '@fovea/core';
import { checkBoxesTensor } from '../_internal/boxes.js';
import { detach, maximum, minimum } from '../_internal/math.js';

/** Options for {@link boxIouLoss} and its named variants. @category Losses */
export interface BoxIouLossOptions {
  /** `'none'` (default, `[N]`), `'mean'` or `'sum'` (scalars; the mean of no boxes is 0). */
  reduction?: Reduction;
  /** Stabilises the divisions; default `1e-7` as torchvision. */
  eps?: number;
}

const FOUR_OVER_PI2 = 4 / (Math.PI * Math.PI);

type Cols = [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];

/** torchvision's `_loss_inter_union`: intersection only where the boxes strictly overlap. */
function interUnion(p: Cols, g: Cols): [tf.Tensor, tf.Tensor] {
  const [x1, y1, x2, y2] = p;
  const [u1, v1, u2, v2] = g;
  const iw = tf.sub(minimum(x2, u2), maximum(x1, u1)); // [N]
  const ih = tf.sub(minimum(y2, v2), maximum(y1, v1));
  const overlap = tf.mul(tf.step(iw), tf.step(ih)); // 1 where both > 0 (a zero-gradient mask)
  const inter = tf.mul(tf.mul(iw, ih), overlap);
  const union = tf.sub(tf.add(tf.mul(tf.sub(x2, x1), tf.sub(y2, y1)), tf.mul(tf.sub(u2, u1), tf.sub(v2, v1))), inter);
  return [inter, union];
}

/** torchvision's `_diou_iou_loss`: `[loss, iou]`, both `[N]`. */
function diouLoss(p: Cols, g: Cols, eps: number): [tf.Tensor, tf.Tensor] {
  const [x1, y1, x2, y2] = p;
  const [u1, v1, u2, v2] = g;
  const [inter, union] = interUnion(p, g);
  const iou = tf.div(inter, tf.add(union, eps));
  const cw = tf.sub(maximum(x2, u2), minimum(x1, u1));
  const ch = tf.sub(maximum(y2, v2), minimum(y1, v1));
  const diag = tf.add(tf.add(tf.square(cw), tf.square(ch)), eps);
  const dx = tf.sub(tf.div(tf.add(x2, x1), 2), tf.div(tf.add(u1, u2), 2));
  const dy = tf.sub(tf.div(tf.add(y2, y1), 2), tf.div(tf.add(v1, v2), 2));
  const loss = tf.add(tf.sub(1, iou), tf.div(tf.add(tf.square(dx), tf.square(dy)), diag));
  return [loss, iou];
}

function perBox(kind: 'giou' | 'diou' | 'ciou', p: Cols, g: Cols, eps: number): tf.Tensor {
  const [x1, y1, x2, y2] = p;
  const [u1, v1, u2, v2] = g;
  if (kind === 'giou') {
    const [inter, union] = interUnion(p, g);
    const iou = tf.div(inter, tf.add(union, eps));
    const c = tf.mul(tf.sub(maximum(x2, u2), minimum(x1, u1)), tf.sub(maximum(y2, v2), minimum(y1, v1)));
    return tf.sub(1, tf.sub(iou, tf.div(tf.sub(c, union), tf.add(c, eps))));
  }
  if (kind === 'diou') return diouLoss(p, g, eps)[0];
  // ciou: torchvision computes the diou part with its default eps whatever eps is passed
  const [dl, iou] = diouLoss(p, g, 1e-7);
  const t = tf.sub(tf.atan(tf.div(tf.sub(u2, u1), tf.sub(v2, v1))), tf.atan(tf.div(tf.sub(x2, x1), tf.sub(y2, y1))));
  const v = tf.mul(FOUR_OVER_PI2, tf.square(t));
  const alpha = detach(tf.div(v, tf.add(tf.add(tf.sub(1, iou), v), eps))); // under no_grad in torchvision
  return tf.add(dl, tf.mul(alpha, v));
}

function reduce(loss: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return tf.sum(loss);
  return loss.size > 0 ? tf.mean(loss) : tf.mul(tf.sum(loss), 0);
}

/**
 * The IoU-family regression losses between paired boxes (row `i` of
 * `boxes1` against row `i` of `boxes2`), as torchvision's
 * `generalized_box_iou_loss`, `distance_box_iou_loss` and
 * `complete_box_iou_loss`: GIoU loss `1 - iou + (C - union) / (C + eps)`,
 * DIoU loss `1 - iou + ρ² / (c² + eps)`, CIoU loss `DIoU loss + α·v` with α
 * held constant for the gradient. Differentiable with respect to both inputs.
 *
 * @param kind `'giou'`, `'diou'` or `'ciou'`.
 * @param boxes1 `[N, 4]` float32 predicted boxes as `[x1, y1, x2, y2]`.
 * @param boxes2 `[N, 4]` float32 target boxes as `[x1, y1, x2, y2]`.
 * @param opts reduction and eps.
 * @returns `[N]` losses, or a scalar for `'mean'` / `'sum'`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { boxIouLoss } from '@fovea/detection';
 * const pred = tf.tensor2d([[0, 0, 10, 10]]);
 * const target = tf.tensor2d([[5, 0, 15, 10]]);
 * boxIouLoss('giou', pred, target).print(); // [0.6667]
 * ```
 * @category Losses
 */
export function boxIouLoss(kind: 'giou' | 'diou' | 'ciou', boxes1: tf.Tensor, boxes2: tf.Tensor, opts: BoxIouLossOptions = {}): tf.Tensor {
  const op = 'boxIouLoss';
  checkOneOf(op, 'kind', kind, ['giou', 'diou', 'ciou'] as const);
  const dims = {};
  checkBoxesTensor(op, 'boxes1', boxes1, dims);
  checkBoxesTensor(op, 'boxes2', boxes2, dims);
  const reduction = checkOneOf(op, 'options.reduction', opts.reduction ?? 'none', ['none', 'mean', 'sum'] as const);
  const eps = checkNumber(op, 'options.eps', opts.eps ?? 1e-7, { min: 0 });
  return tf.tidy(() => {
    const p = tf.unstack(boxes1, 1) as Cols; // 4 × [N]
    const g = tf.unstack(boxes2, 1) as Cols;
    return reduce(perBox(kind, p, g, eps), reduction);
  });
}

/**
 * GIoU loss, `torchvision.ops.generalized_box_iou_loss`. See {@link boxIouLoss}.
 *
 * @param boxes1 `[N, 4]` predicted boxes as `[x1, y1, x2, y2]`.
 * @param boxes2 `[N, 4]` target boxes as `[x1, y1, x2, y2]`.
 * @param opts reduction and eps.
 * @returns `[N]` or a scalar.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { generalizedBoxIouLoss } from '@fovea/detection';
 * generalizedBoxIouLoss(tf.tensor2d([[0, 0, 1, 1]]), tf.tensor2d([[2, 0, 3, 1]])).print(); // [1.3333]
 * ```
 * @category Losses
 */
export function generalizedBoxIouLoss(boxes1: tf.Tensor, boxes2: tf.Tensor, opts: BoxIouLossOptions = {}): tf.Tensor {
  return boxIouLoss('giou', boxes1, boxes2, opts);
}

/**
 * DIoU loss, `torchvision.ops.distance_box_iou_loss`. See {@link boxIouLoss}.
 *
 * @param boxes1 `[N, 4]` predicted boxes as `[x1, y1, x2, y2]`.
 * @param boxes2 `[N, 4]` target boxes as `[x1, y1, x2, y2]`.
 * @param opts reduction and eps.
 * @returns `[N]` or a scalar.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { distanceBoxIouLoss } from '@fovea/detection';
 * distanceBoxIouLoss(tf.tensor2d([[0, 0, 2, 2]]), tf.tensor2d([[1, 0, 3, 2]])).print(); // [0.7436]
 * ```
 * @category Losses
 */
export function distanceBoxIouLoss(boxes1: tf.Tensor, boxes2: tf.Tensor, opts: BoxIouLossOptions = {}): tf.Tensor {
  return boxIouLoss('diou', boxes1, boxes2, opts);
}

/**
 * CIoU loss, `torchvision.ops.complete_box_iou_loss` (α without gradient).
 * See {@link boxIouLoss}.
 *
 * @param boxes1 `[N, 4]` predicted boxes as `[x1, y1, x2, y2]`.
 * @param boxes2 `[N, 4]` target boxes as `[x1, y1, x2, y2]`.
 * @param opts reduction and eps.
 * @returns `[N]` or a scalar.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { completeBoxIouLoss } from '@fovea/detection';
 * completeBoxIouLoss(tf.tensor2d([[0, 0, 2, 2]]), tf.tensor2d([[0, 0, 2, 4]])).print(); // [0.5532]
 * ```
 * @category Losses
 */
export function completeBoxIouLoss(boxes1: tf.Tensor, boxes2: tf.Tensor, opts: BoxIouLossOptions = {}): tf.Tensor {
  return boxIouLoss('ciou', boxes1, boxes2, opts);
}
