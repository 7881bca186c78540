/** Conformance handlers for `detection.*` ops: each maps a case to @fovea/detection's public API. */
import { nchwToNhwc, nhwcToNchw, type Reduction } from '@fovea/core';
import {
  batchedNms,
  boxArea,
  boxConvert,
  boxIou,
  boxIouLoss,
  clipBoxesToImage,
  decodeBoxes,
  encodeBoxes,
  gridAnchors,
  masksToBoxes,
  matchBoxes,
  nms,
  removeSmallBoxes,
  roiAlign,
  roiPool,
  sigmoidFocalLoss,
  softNms,
  type BoxCoderWeights,
  type BoxFormat,
  type IouKind,
} from '@fovea/detection';
import { withGrads } from '../grad.js';
import type { OpContext, OpHandler } from '../types.js';

const num = (ctx: OpContext, name: string, dflt?: number): number => (ctx.attrs[name] ?? dflt) as number;
const pair = (v: unknown): [number, number] => v as [number, number];

export const detectionOps: Record<string, OpHandler> = {
  'detection.box_convert': (ctx) => ({
    boxes: boxConvert(ctx.inputs.boxes!, ctx.attrs.in_fmt as BoxFormat, ctx.attrs.out_fmt as BoxFormat),
  }),

  'detection.box_area': (ctx) => ({ area: boxArea(ctx.inputs.boxes!) }),

  'detection.box_iou': (ctx) => ({
    iou: boxIou(ctx.inputs.boxes1!, ctx.inputs.boxes2!, { kind: (ctx.attrs.kind ?? 'iou') as IouKind, eps: num(ctx, 'eps', 1e-7) }),
  }),

  'detection.iou_loss': (ctx) =>
    withGrads(ctx, (inp) => ({
      loss: boxIouLoss(ctx.attrs.kind as 'giou' | 'diou' | 'ciou', inp.boxes1!, inp.boxes2!, {
        reduction: (ctx.attrs.reduction ?? 'none') as Reduction,
        eps: num(ctx, 'eps', 1e-7),
      }),
    })),

  'detection.nms': async (ctx) => ({ keep: await nms(ctx.inputs.boxes!, ctx.inputs.scores!, num(ctx, 'iou_threshold')) }),

  'detection.batched_nms': async (ctx) => ({
    keep: await batchedNms(ctx.inputs.boxes!, ctx.inputs.scores!, ctx.inputs.idxs!, num(ctx, 'iou_threshold')),
  }),

  'detection.soft_nms': async (ctx) => {
    const r = await softNms(ctx.inputs.boxes!, ctx.inputs.scores!, {
      method: (ctx.attrs.method ?? 'gaussian') as 'gaussian' | 'linear',
      sigma: num(ctx, 'sigma', 0.5),
      iouThreshold: num(ctx, 'iou_threshold', 0.3),
      scoreThreshold: num(ctx, 'score_threshold', 0.001),
    });
    return { keep: r.keep, scores: r.scores };
  },

  'detection.roi_align': (ctx) =>
    withGrads(ctx, (inp) => {
      const opts = {
        outputSize: pair(ctx.attrs.output_size),
        spatialScale: num(ctx, 'spatial_scale', 1),
        samplingRatio: num(ctx, 'sampling_ratio', -1),
        aligned: !!ctx.attrs.aligned,
      };
      return { output: nhwcToNchw(roiAlign(nchwToNhwc(inp.input!), inp.boxes!, opts)) };
    }),

  'detection.roi_pool': (ctx) =>
    withGrads(ctx, (inp) => {
      const opts = { outputSize: pair(ctx.attrs.output_size), spatialScale: num(ctx, 'spatial_scale', 1) };
      return { output: nhwcToNchw(roiPool(nchwToNhwc(inp.input!), inp.boxes!, opts)) };
    }),

  'detection.box_coder_encode': (ctx) => ({
    deltas: encodeBoxes(ctx.inputs.reference_boxes!, ctx.inputs.proposals!, ctx.attrs.weights as BoxCoderWeights),
  }),

  'detection.box_coder_decode': (ctx) => ({
    pred_boxes: decodeBoxes(
      ctx.inputs.rel_codes!,
      ctx.inputs.boxes!,
      ctx.attrs.weights as BoxCoderWeights,
      (ctx.attrs.bbox_xform_clip ?? Math.log(1000 / 16)) as number,
    ),
  }),

  'detection.anchors': (ctx) => ({
    anchors: gridAnchors({
      sizes: ctx.attrs.sizes as number[],
      aspectRatios: ctx.attrs.aspect_ratios as number[],
      featureSize: pair(ctx.attrs.feature_size),
      imageSize: pair(ctx.attrs.image_size),
    }),
  }),

  'detection.matcher': async (ctx) => ({
    matches: await matchBoxes(ctx.inputs.iou!, {
      highThreshold: num(ctx, 'high_threshold'),
      lowThreshold: num(ctx, 'low_threshold'),
      allowLowQualityMatches: !!ctx.attrs.allow_low_quality_matches,
    }),
  }),

  'detection.sigmoid_focal_loss': (ctx) =>
    withGrads(ctx, (inp) => ({
      loss: sigmoidFocalLoss(inp.inputs!, inp.targets!, {
        alpha: num(ctx, 'alpha', 0.25),
        gamma: num(ctx, 'gamma', 2),
        reduction: (ctx.attrs.reduction ?? 'none') as Reduction,
      }),
    })),

  'detection.masks_to_boxes': async (ctx) => ({ boxes: await masksToBoxes(ctx.inputs.masks!) }),

  'detection.clip_boxes': (ctx) => ({ boxes: clipBoxesToImage(ctx.inputs.boxes!, pair(ctx.attrs.size)) }),

  'detection.remove_small_boxes': async (ctx) => ({
    keep: await removeSmallBoxes(ctx.inputs.boxes!, num(ctx, 'min_size')),
  }),
};
