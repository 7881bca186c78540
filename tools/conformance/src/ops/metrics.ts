/**
 * Conformance handlers for `metrics.*` ops: each maps a case to
 * @fovea/metrics's public API. Inputs arrive as tensors in PyTorch layouts
 * (images NCHW, converted with core's `nchwToNhwc`); metrics read them with
 * `await t.data()`, so every backend works. Values the library reports as
 * `NaN` (no defined result) are written as -1, the case files' convention.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nchwToNhwc } from '@fovea/core';
import {
  accuracy,
  averagePrecision,
  cocoMeanAveragePrecision,
  confusionMatrix,
  frechetDistance,
  inceptionScore,
  meanIoU,
  panopticQuality,
  precisionRecallF1,
  psnr,
  ssim,
  vocAp,
  type ClassAverage,
} from '@fovea/metrics';
import type { OpContext, OpHandler } from '../types.js';

type Attrs = Record<string, unknown>;
const num = (a: Attrs, k: string, d: number): number => (a[k] === undefined ? d : (a[k] as number));
const scalar = (v: number): tf.Tensor => tf.scalar(Number.isNaN(v) ? -1 : v, 'float32');
const vector = (v: number[]): tf.Tensor => tf.tensor1d(v.map((x) => (Number.isNaN(x) ? -1 : x)), 'float32');

/** Runs `fn` on NHWC copies of NCHW image inputs, disposing the copies. */
async function withNhwc<T>(ctx: OpContext, names: string[], fn: (x: tf.Tensor[]) => Promise<T>): Promise<T> {
  const nhwc = names.map((n) => nchwToNhwc(ctx.inputs[n]!));
  try {
    return await fn(nhwc);
  } finally {
    tf.dispose(nhwc);
  }
}

export const metricsOps: Record<string, OpHandler> = {
  'metrics.accuracy': async ({ inputs, attrs }) => ({
    value: scalar(await accuracy(inputs['preds']!, inputs['targets']!, { topK: num(attrs, 'top_k', 1) })),
  }),

  'metrics.confusion_matrix': async ({ inputs, attrs }) => {
    const m = await confusionMatrix(inputs['preds']!, inputs['targets']!, { numClasses: num(attrs, 'num_classes', 0) });
    return { matrix: tf.tensor2d(m, [m.length, m.length], 'int32') };
  },

  'metrics.precision_recall_f1': async ({ inputs, attrs }) => {
    const average = (attrs['average'] as ClassAverage | undefined) ?? 'macro';
    const r = await precisionRecallF1(inputs['preds']!, inputs['targets']!, {
      numClasses: num(attrs, 'num_classes', 0),
      average,
      zeroDivision: num(attrs, 'zero_division', 0) as 0 | 1,
    });
    if (Array.isArray(r.precision)) {
      const pc = r as { precision: number[]; recall: number[]; f1: number[] };
      return { precision: vector(pc.precision), recall: vector(pc.recall), f1: vector(pc.f1) };
    }
    const av = r as { precision: number; recall: number; f1: number };
    return { precision: scalar(av.precision), recall: scalar(av.recall), f1: scalar(av.f1) };
  },

  'metrics.average_precision': async ({ inputs }) => ({
    ap: scalar(await averagePrecision(inputs['scores']!, inputs['labels']!)),
  }),

  'metrics.voc_ap': async ({ inputs, attrs }) => ({
    ap: scalar(await vocAp(inputs['recall']!, inputs['precision']!, { use07Metric: Boolean(attrs['use_07_metric']) })),
  }),

  'metrics.coco_map': async ({ inputs: x }) => {
    const r = await cocoMeanAveragePrecision(
      { boxes: x['gt_boxes']!, imageIds: x['gt_image']!, categoryIds: x['gt_category']!, iscrowd: x['gt_iscrowd']!, area: x['gt_area']! },
      { boxes: x['det_boxes']!, imageIds: x['det_image']!, categoryIds: x['det_category']!, scores: x['det_score']! },
      { boxFormat: 'xywh' },
    );
    return { stats: tf.tensor1d(r.stats, 'float32') };
  },

  'metrics.mean_iou': async ({ inputs, attrs }) => {
    const r = await meanIoU(inputs['preds']!, inputs['targets']!, {
      numClasses: num(attrs, 'num_classes', 0),
      ignoreIndex: num(attrs, 'ignore_index', 255),
    });
    return { iou: vector(r.iou), miou: scalar(r.miou) };
  },

  'metrics.panoptic_quality': async ({ inputs: x, attrs }) => {
    const r = await panopticQuality(
      { segments: x['pred_segments']!, categories: x['pred_categories']! },
      { segments: x['gt_segments']!, categories: x['gt_categories']!, iscrowd: x['gt_iscrowd']! },
      { numClasses: num(attrs, 'num_classes', 0), things: (attrs['things'] as number[] | undefined) ?? [] },
    );
    return {
      pq: scalar(r.pq),
      sq: scalar(r.sq),
      rq: scalar(r.rq),
      pq_things: scalar(r.things.pq),
      pq_stuff: scalar(r.stuff.pq),
      per_class_pq: vector(r.perClass.pq),
    };
  },

  'metrics.frechet_distance': async ({ inputs }) => ({
    fid: scalar(await frechetDistance(inputs['feats1']!, inputs['feats2']!)),
  }),

  'metrics.inception_score': async ({ inputs, attrs }) => {
    const r = await inceptionScore(inputs['probs']!, { splits: num(attrs, 'splits', 10) });
    return { mean: scalar(r.mean), std: scalar(r.std) };
  },

  'metrics.psnr': async (ctx) =>
    withNhwc(ctx, ['preds', 'targets'], async ([p, t]) => ({
      value: scalar(await psnr(p!, t!, { dataRange: num(ctx.attrs, 'data_range', 1) })),
    })),

  'metrics.ssim': async (ctx) =>
    withNhwc(ctx, ['preds', 'targets'], async ([p, t]) => ({
      value: scalar(
        await ssim(p!, t!, {
          dataRange: num(ctx.attrs, 'data_range', 1),
          sigma: num(ctx.attrs, 'sigma', 1.5),
          k1: num(ctx.attrs, 'K1', 0.01),
          k2: num(ctx.attrs, 'K2', 0.03),
        }),
      ),
    })),
};
