import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOneOf } from '@fovea/core';
import { checkBoxesTensor } from '../_internal/boxes.js';
import { pairwise, type IouKind } from './_pairwise.js';

export type { IouKind } from './_pairwise.js';

/** Options for {@link boxIou}. @category IoU */
export interface BoxIouOptions {
  /** Which overlap: `'iou'` (default), `'giou'`, `'diou'` or `'ciou'`. */
  kind?: IouKind;
  /** Added to the enclosing diagonal (diou, ciou) and to α's denominator (ciou); default `1e-7` as torchvision. */
  eps?: number;
}

/**
 * Pairwise overlap of two sets of `xyxy` boxes: IoU (`torchvision.ops.box_iou`),
 * or with `kind` GIoU, DIoU or CIoU (`generalized_box_iou`,
 * `distance_box_iou`, `complete_box_iou`), same formulas, CIoU's α without
 * gradient as torchvision. Differentiable. On CPU and WASM, outside a
 * gradient context, the matrix comes from one fused kernel (2000 × 2000 in a
 * few milliseconds); under `tf.grad` it is a composition of tensor ops.
 *
 * @param boxes1 `[N, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param boxes2 `[M, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param opts the kind and eps.
 * @returns `[N, M]`: entry `(i, j)` compares `boxes1[i]` with `boxes2[j]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { boxIou } from '@fovea/detection';
 * const a = tf.tensor2d([[0, 0, 10, 10]]);
 * const b = tf.tensor2d([[5, 0, 15, 10], [20, 20, 30, 30]]);
 * boxIou(a, b).print(); // [[0.3333, 0]]
 * boxIou(a, b, { kind: 'giou' }).print(); // [[0.3333, -0.7778]]
 * ```
 * @category IoU
 */
export function boxIou(boxes1: tf.Tensor, boxes2: tf.Tensor, opts: BoxIouOptions = {}): tf.Tensor2D {
  const op = 'boxIou';
  checkBoxesTensor(op, 'boxes1', boxes1, {}, 'N');
  checkBoxesTensor(op, 'boxes2', boxes2, {}, 'M');
  const kind = checkOneOf(op, 'options.kind', opts.kind ?? 'iou', ['iou', 'giou', 'diou', 'ciou'] as const);
  const eps = checkNumber(op, 'options.eps', opts.eps ?? 1e-7, { min: 0 });
  return pairwise(boxes1, boxes2, kind, eps);
}

/**
 * Pairwise generalized IoU, `torchvision.ops.generalized_box_iou`:
 * `iou - (C - union) / C` with `C` the area of the smallest enclosing box.
 * See {@link boxIou}.
 *
 * @param boxes1 `[N, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param boxes2 `[M, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @returns `[N, M]` GIoU in `[-1, 1]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { generalizedBoxIou } from '@fovea/detection';
 * generalizedBoxIou(tf.tensor2d([[0, 0, 1, 1]]), tf.tensor2d([[2, 0, 3, 1]])).print(); // [[-0.3333]]
 * ```
 * @category IoU
 */
export function generalizedBoxIou(boxes1: tf.Tensor, boxes2: tf.Tensor): tf.Tensor2D {
  return boxIou(boxes1, boxes2, { kind: 'giou' });
}

/**
 * Pairwise distance IoU, `torchvision.ops.distance_box_iou`:
 * `iou - ρ² / (c² + eps)` with `ρ` the distance between the centres and `c` the
 * diagonal of the enclosing box. See {@link boxIou}.
 *
 * @param boxes1 `[N, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param boxes2 `[M, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param eps default `1e-7`.
 * @returns `[N, M]` DIoU.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { distanceBoxIou } from '@fovea/detection';
 * distanceBoxIou(tf.tensor2d([[0, 0, 2, 2]]), tf.tensor2d([[1, 0, 3, 2]])).print(); // [[0.2564]]
 * ```
 * @category IoU
 */
export function distanceBoxIou(boxes1: tf.Tensor, boxes2: tf.Tensor, eps = 1e-7): tf.Tensor2D {
  return boxIou(boxes1, boxes2, { kind: 'diou', eps });
}

/**
 * Pairwise complete IoU, `torchvision.ops.complete_box_iou`: DIoU minus
 * `α·v`, `v = (4/π²)(atan(w/h) - atan(w'/h'))²`, `α = v / (1 - iou + v + eps)`
 * (α carries no gradient, as in torchvision). See {@link boxIou}.
 *
 * @param boxes1 `[N, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param boxes2 `[M, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @param eps default `1e-7`.
 * @returns `[N, M]` CIoU.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { completeBoxIou } from '@fovea/detection';
 * completeBoxIou(tf.tensor2d([[0, 0, 2, 2]]), tf.tensor2d([[0, 0, 2, 4]])).print(); // [[0.4468]]
 * ```
 * @category IoU
 */
export function completeBoxIou(boxes1: tf.Tensor, boxes2: tf.Tensor, eps = 1e-7): tf.Tensor2D {
  return boxIou(boxes1, boxes2, { kind: 'ciou', eps });
}
