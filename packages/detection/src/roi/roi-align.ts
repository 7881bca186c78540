import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, Module } from '@fovea/core';
import { ensureKernel, runJsKernel, runKernel, type KernelImpls } from '../_internal/kernels.js';
import { customOp } from '../_internal/math.js';
import type { WebGPUBackendLike } from '../_internal/webgpu.js';
import { roiAlignBackward, roiAlignForward, type RoiAlignAttrs } from './_roi-align-js.js';
import { roiAlignBackwardWebGPU, roiAlignForwardWebGPU } from './_roi-webgpu.js';
import { outputSize, roiTensor, spatialScale, type RoiBoxes } from './_rois.js';

export type { RoiBoxes } from './_rois.js';

/** Options for {@link roiAlign} and {@link RoIAlign}. @category RoI */
export interface RoiAlignOptions {
  /** Output bins `[ph, pw]` (or one number for both). */
  outputSize: number | [number, number];
  /** Scale from box (image) coordinates to feature-map coordinates, e.g. `1/16`; default 1. */
  spatialScale?: number;
  /** Samples per bin and axis; `<= 0` adapts to the bin size (`ceil(roi / bins)`), torchvision's default -1. */
  samplingRatio?: number;
  /** Shift by half a pixel so box corners fall on pixel corners (Detectron2's `ROIAlignV2`); default false. */
  aligned?: boolean;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
const FWD = 'FoveaRoIAlign';
const BWD = 'FoveaRoIAlignGrad';

const forwardImpls: KernelImpls = {
  js: ((args: Args) => {
    const { x, rois } = args.inputs as { x: tf.TensorInfo; rois: tf.TensorInfo };
    const a = args.attrs as unknown as RoiAlignAttrs;
    const shape = [rois.shape[0]!, a.pooledHeight, a.pooledWidth, x.shape[3]!];
    return runJsKernel(args.backend, [x, rois], [{ shape, dtype: 'float32' }], (ins, outs) =>
      roiAlignForward(ins[0] as Float32Array, x.shape, ins[1]!, outs[0] as Float32Array, a), false,
    )[0]!;
  }) as unknown as tf.KernelFunc,
  webgpu: ((args: Args) => {
    const { x, rois } = args.inputs as { x: tf.TensorInfo; rois: tf.TensorInfo };
    return roiAlignForwardWebGPU(args.backend as WebGPUBackendLike, x, rois, args.attrs as unknown as RoiAlignAttrs);
  }) as unknown as tf.KernelFunc,
};

const backwardImpls: KernelImpls = {
  js: ((args: Args) => {
    const { dy, rois } = args.inputs as { dy: tf.TensorInfo; rois: tf.TensorInfo };
    const a = args.attrs as unknown as RoiAlignAttrs & { xShape: number[] };
    return runJsKernel(args.backend, [dy, rois], [{ shape: a.xShape, dtype: 'float32' }], (ins, outs) =>
      roiAlignBackward(ins[0] as Float32Array, a.xShape, ins[1]!, outs[0] as Float32Array, a),
    )[0]!;
  }) as unknown as tf.KernelFunc,
  webgpu: ((args: Args) => {
    const { dy, rois } = args.inputs as { dy: tf.TensorInfo; rois: tf.TensorInfo };
    const a = args.attrs as unknown as RoiAlignAttrs & { xShape: number[] };
    return roiAlignBackwardWebGPU(args.backend as WebGPUBackendLike, dy, rois, a.xShape, a);
  }) as unknown as tf.KernelFunc,
};

/**
 * RoIAlign (Mask R-CNN), like `torchvision.ops.roi_align`: each roi is split
 * into `ph × pw` bins and each bin averages bilinear samples of the feature
 * map on a regular grid (`samplingRatio` per axis, or `ceil(bin size)` when
 * adaptive); samples outside `[-1, H] × [-1, W]` count as 0. Differentiable
 * with respect to `input` (the exact backward of the sampling; boxes get no
 * gradient, as in torchvision).
 *
 * Runs as one fused kernel: JavaScript on CPU/WASM (which also rejects an
 * out-of-range batch index, naming the row), WGSL on WebGPU (where such rois
 * give zeros; see {@link checkRoiBoxes}).
 *
 * @param input `[N, H, W, C]` float32 feature maps (NHWC; PyTorch's NCHW comes in through `nchwToNhwc`).
 * @param boxes `[K, 5]` rows `(batch_index, x1, y1, x2, y2)` in image coordinates, or a list of `[K_i, 4]` boxes per image.
 * @param opts output size, spatial scale, sampling ratio, aligned.
 * @returns `[K, ph, pw, C]` pooled features.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { roiAlign } from '@fovea/detection';
 * const fmap = tf.reshape(tf.range(0, 16), [1, 4, 4, 1]); // values 0..15, row-major
 * // one bin, one sample: the bilinear value at the box centre (x 1, y 1)
 * const out = roiAlign(fmap, tf.tensor2d([[0, 0, 0, 2, 2]]), { outputSize: 1, samplingRatio: 1 });
 * out.print(); // [[[[5]]]]
 * ```
 * @category RoI
 */
export function roiAlign(input: tf.Tensor, boxes: RoiBoxes, opts: RoiAlignOptions): tf.Tensor4D {
  const op = 'roiAlign';
  const { rois, owned } = roiTensor(op, input, boxes);
  try {
    const [ph, pw] = outputSize(op, opts.outputSize);
    const attrs: RoiAlignAttrs = {
      pooledHeight: ph,
      pooledWidth: pw,
      spatialScale: spatialScale(op, opts.spatialScale),
      samplingRatio: checkNumber(op, 'options.samplingRatio', opts.samplingRatio ?? -1, { integer: true }),
      aligned: !!opts.aligned,
    };
    ensureKernel(FWD, forwardImpls);
    ensureKernel(BWD, backwardImpls);
    const xShape = input.shape;
    const f = customOp(([x, r], save) => {
      save([r!]);
      return {
        value: runKernel(FWD, { x: x!, rois: r! }, { ...attrs }) as tf.Tensor,
        gradFunc: (dy, saved) => [
          runKernel(BWD, { dy, rois: saved[0]! }, { ...attrs, xShape }) as tf.Tensor,
          tf.zerosLike(saved[0]!),
        ],
      };
    });
    return f(input, rois) as tf.Tensor4D;
  } finally {
    if (owned) rois.dispose();
  }
}

/**
 * RoIAlign as a Module (torchvision's `RoIAlign`), no parameters. See {@link roiAlign}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RoIAlign } from '@fovea/detection';
 * const pool = new RoIAlign({ outputSize: 7, spatialScale: 1 / 16, samplingRatio: 2 });
 * const feats = pool.forward(tf.zeros([1, 50, 50, 256]), tf.tensor2d([[0, 10, 10, 200, 300]])); // [1, 7, 7, 256]
 * ```
 * @category RoI
 */
export class RoIAlign extends Module<[tf.Tensor, RoiBoxes], tf.Tensor4D> {
  readonly options: RoiAlignOptions;

  constructor(opts: RoiAlignOptions) {
    super();
    outputSize('RoIAlign', opts.outputSize);
    this.options = { ...opts };
  }

  forward(input: tf.Tensor, boxes: RoiBoxes): tf.Tensor4D {
    return roiAlign(input, boxes, this.options);
  }
}
