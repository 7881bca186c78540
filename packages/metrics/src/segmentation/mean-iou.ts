import { checkNumber, describeValue, FoveaError } from '@fovea/core';
import { checkLabelRange, checkSameShape, readInput, type MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';

/** Options for {@link meanIoU} and {@link MeanIoU}. @category Segmentation */
export interface MeanIoUOptions {
  /** Number of classes `C`; labels lie in `[0, C)`. */
  numClasses: number;
  /** Target label of pixels to leave out (e.g. 255 or -1). Default: none. */
  ignoreIndex?: number;
}

/** Result of {@link meanIoU}. @category Segmentation */
export interface MeanIoUResult {
  /** `[C]` IoU per class, `tp / (tp + fp + fn)`; `NaN` for a class absent from both inputs. */
  iou: number[];
  /** Mean over the classes that are not `NaN` (`NaN` if none). */
  miou: number;
  /** Overall pixel accuracy over the non-ignored pixels (`NaN` if none). */
  accuracy: number;
}

interface Resolved {
  c: number;
  ignore: number | undefined;
}

function resolve(op: string, o: MeanIoUOptions): Resolved {
  if (o === null || typeof o !== 'object') throw new FoveaError({ op, arg: 'options', expected: 'an object {numClasses, ignoreIndex?}', got: describeValue(o) });
  const c = checkNumber(op, 'options.numClasses', o.numClasses, { integer: true, min: 1 });
  const ignore = o.ignoreIndex === undefined ? undefined : checkNumber(op, 'options.ignoreIndex', o.ignoreIndex, { integer: true });
  if (ignore !== undefined && ignore >= 0 && ignore < c) {
    throw new FoveaError({ op, arg: 'options.ignoreIndex', expected: `a value outside the class range [0, ${c})`, got: String(ignore) });
  }
  return { c, ignore };
}

/** Reads a batch and adds it to a `[C, C]` confusion matrix (rows = target). */
async function addBatch(op: string, cm: Float64Array, r: Resolved, preds: MetricInput, targets: MetricInput): Promise<void> {
  const p = await readInput(op, 'preds', preds, { kind: 'int' });
  const t = await readInput(op, 'targets', targets, { kind: 'int' });
  checkSameShape(op, 'preds', p, 'targets', t);
  checkLabelRange(op, 'targets', t, r.c, r.ignore);
  checkLabelRange(op, 'preds', p, r.c);
  const c = r.c;
  const pd = p.data;
  const td = t.data;
  for (let i = 0; i < td.length; i++) {
    const y = td[i]!;
    if (y === r.ignore) continue;
    cm[y * c + pd[i]!]! += 1;
  }
}

function fromConfusion(cm: Float64Array, c: number): MeanIoUResult {
  const iou: number[] = [];
  let sum = 0;
  let n = 0;
  let diag = 0;
  let total = 0;
  for (let k = 0; k < c; k++) {
    let row = 0;
    let col = 0;
    for (let j = 0; j < c; j++) {
      row += cm[k * c + j]!;
      col += cm[j * c + k]!;
    }
    const tp = cm[k * c + k]!;
    const union = row + col - tp;
    diag += tp;
    total += row;
    if (union > 0) {
      iou.push(tp / union);
      sum += tp / union;
      n++;
    } else iou.push(NaN);
  }
  return { iou, miou: n ? sum / n : NaN, accuracy: total ? diag / total : NaN };
}

/**
 * Per-class IoU and mean IoU of semantic segmentation label maps, over all
 * pixels of the batch (one confusion matrix, as mmsegmentation and
 * torchmetrics compute it — not a mean of per-image IoUs). Pixels whose
 * target is `ignoreIndex` are left out; a class absent from both inputs has
 * IoU `NaN` and is excluded from the mean; a class present in only one has IoU 0.
 *
 * @param preds `[N, H, W]` (any shape) predicted labels in `[0, C)`.
 * @param targets same shape, labels in `[0, C)` or `ignoreIndex`.
 * @param opts see {@link MeanIoUOptions}.
 * @returns see {@link MeanIoUResult}.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { meanIoU } from '@fovea/metrics';
 * const preds = tf.tensor3d([[[0, 1], [1, 1]]], undefined, 'int32');
 * const targets = tf.tensor3d([[[0, 1], [0, 255]]], undefined, 'int32');
 * await meanIoU(preds, targets, { numClasses: 3, ignoreIndex: 255 });
 * // { iou: [0.5, 0.5, NaN], miou: 0.5, accuracy: 0.6667 }
 * ```
 * @category Segmentation
 */
export async function meanIoU(preds: MetricInput, targets: MetricInput, opts: MeanIoUOptions): Promise<MeanIoUResult> {
  const op = 'meanIoU';
  const r = resolve(op, opts);
  const cm = new Float64Array(r.c * r.c);
  await addBatch(op, cm, r, preds, targets);
  return fromConfusion(cm, r.c);
}

/**
 * Streaming {@link meanIoU}: accumulates a `[C, C]` pixel confusion matrix.
 *
 * @example
 * ```ts
 * import { MeanIoU } from '@fovea/metrics';
 * const m = new MeanIoU({ numClasses: 2 });
 * await m.update([[0, 1]], [[0, 0]]);
 * await m.update([[1, 1]], [[1, 1]]);
 * m.compute().miou; // (1/2 + 2/3) / 2 = 0.5833…
 * ```
 * @category Segmentation
 */
export class MeanIoU implements Metric<[MetricInput, MetricInput], MeanIoUResult> {
  /** Number of classes `C`. */
  readonly numClasses: number;
  /** The ignored target label, if any. */
  readonly ignoreIndex: number | undefined;
  private readonly cm: Float64Array;

  constructor(opts: MeanIoUOptions) {
    const r = resolve('MeanIoU', opts);
    this.numClasses = r.c;
    this.ignoreIndex = r.ignore;
    this.cm = new Float64Array(r.c * r.c);
  }

  /**
   * Adds a batch (validated first; a bad batch adds nothing).
   * @param preds `[B, H, W]` predicted labels.
   * @param targets `[B, H, W]` target labels.
   */
  async update(preds: MetricInput, targets: MetricInput): Promise<void> {
    await addBatch('MeanIoU.update', this.cm, { c: this.numClasses, ignore: this.ignoreIndex }, preds, targets);
  }

  /** IoUs over every pixel seen. */
  compute(): MeanIoUResult {
    return fromConfusion(this.cm, this.numClasses);
  }

  /** Zeroes the confusion matrix. */
  reset(): void {
    this.cm.fill(0);
  }

  /** The `[C, C]` pixel confusion matrix so far (rows = target class). */
  confusionMatrix(): number[][] {
    const c = this.numClasses;
    return Array.from({ length: c }, (_, i) => Array.from(this.cm.subarray(i * c, (i + 1) * c)));
  }
}
