import * as tf from '@tensorflow/tfjs-core';
import { Module } from '@fovea/core';
import { ensureKernel, runJsKernel, runKernel, type KernelImpls } from '../_internal/kernels.js';
import { customOp } from '../_internal/math.js';
import type { WebGPUBackendLike } from '../_internal/webgpu.js';
import { roiPoolBackward, roiPoolForward, type RoiPoolAttrs } from './_roi-pool-js.js';
import { roiPoolBackwardWebGPU, roiPoolForwardWebGPU } from './_roi-webgpu.js';
import { outputSize, roiTensor, spatialScale, type RoiBoxes } from './_rois.js';

/** Options for {@link roiPool} and {@link RoIPool}. @category RoI */
export interface RoiPoolOptions {
  /** Output bins `[ph, pw]` (or one number for both). */
  outputSize: number | [number, number];
  /** Scale from box (image) coordinates to feature-map coordinates, e.g. `1/16`; default 1. */
  spatialScale?: number;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
const FWD = 'FoveaRoIPool';
const BWD = 'FoveaRoIPoolGrad';

const forwardImpls: KernelImpls = {
  js: ((args: Args) => {
    const { x, rois } = args.inputs as { x: tf.TensorInfo; rois: tf.TensorInfo };
    const a = args.attrs as unknown as RoiPoolAttrs;
    const shape = [rois.shape[0]!, a.pooledHeight, a.pooledWidth, x.shape[3]!];
    return runJsKernel(
      args.backend,
      [x, rois],
      [
        { shape, dtype: 'float32' },
        { shape, dtype: 'int32' },
      ],
      (ins, outs) => roiPoolForward(ins[0] as Float32Array, x.shape, ins[1]!, outs[0] as Float32Array, outs[1] as Int32Array, a),
      false,
    );
  }) as unknown as tf.KernelFunc,
  webgpu: ((args: Args) => {
    const { x, rois } = args.inputs as { x: tf.TensorInfo; rois: tf.TensorInfo };
    const a = args.attrs as unknown as RoiPoolAttrs;
    const backend = args.backend as WebGPUBackendLike;
    return [roiPoolForwardWebGPU(backend, x, rois, a, 0), roiPoolForwardWebGPU(backend, x, rois, a, 1)];
  }) as unknown as tf.KernelFunc,
};

const backwardImpls: KernelImpls = {
  js: ((args: Args) => {
    const { dy, arg } = args.inputs as { dy: tf.TensorInfo; arg: tf.TensorInfo };
    const { xShape } = args.attrs as unknown as { xShape: number[] };
    return runJsKernel(args.backend, [dy, arg], [{ shape: xShape, dtype: 'float32' }], (ins, outs) =>
      roiPoolBackward(ins[0]!, ins[1]!, outs[0] as Float32Array),
    )[0]!;
  }) as unknown as tf.KernelFunc,
  webgpu: ((args: Args) => {
    const { dy, arg } = args.inputs as { dy: tf.TensorInfo; arg: tf.TensorInfo };
    const { xShape } = args.attrs as unknown as { xShape: number[] };
    return roiPoolBackwardWebGPU(args.backend as WebGPUBackendLike, dy, arg, xShape);
  }) as unknown as tf.KernelFunc,
};

/**
 * RoIPool (Fast R-CNN), like `torchvision.ops.roi_pool`: roi corners are
 * rounded to feature-map pixels (`round(x·scale)`, half away from zero), the
 * roi is split into `ph × pw` bins (`floor` / `ceil` of the float bin edges,
 * clamped to the map) and each bin takes its maximum (0 for an empty bin).
 * Differentiable with respect to `input`: the gradient goes to the first
 * arg-max of each bin (row-major), none for empty bins. (A NaN in a bin
 * propagates to its output on CPU/WASM, where torchvision skips it.)
 *
 * One fused kernel: JavaScript on CPU/WASM (rejecting out-of-range batch
 * indices, naming the row), WGSL on WebGPU (zeros for such rois).
 *
 * @param input `[N, H, W, C]` float32 feature maps (NHWC).
 * @param boxes `[K, 5]` rows `(batch_index, x1, y1, x2, y2)` in image coordinates, or a list of `[K_i, 4]` boxes per image.
 * @param opts output size and spatial scale.
 * @returns `[K, ph, pw, C]` pooled features.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { roiPool } from '@fovea/detection';
 * const fmap = tf.reshape(tf.range(0, 16), [1, 4, 4, 1]); // values 0..15, row-major
 * roiPool(fmap, tf.tensor2d([[0, 0, 0, 3, 3]]), { outputSize: 2 }).print(); // [[[[5], [7]], [[13], [15]]]]
 * ```
 * @category RoI
 */
export function roiPool(input: tf.Tensor, boxes: RoiBoxes, opts: RoiPoolOptions): tf.Tensor4D {
  const op = 'roiPool';
  const { rois, owned } = roiTensor(op, input, boxes);
  try {
    const [ph, pw] = outputSize(op, opts.outputSize);
    const attrs: RoiPoolAttrs = { pooledHeight: ph, pooledWidth: pw, spatialScale: spatialScale(op, opts.spatialScale) };
    ensureKernel(FWD, forwardImpls);
    ensureKernel(BWD, backwardImpls);
    const xShape = input.shape;
    const f = customOp(([x, r], save) => {
      const [value, arg] = runKernel(FWD, { x: x!, rois: r! }, { ...attrs }) as [tf.Tensor, tf.Tensor];
      save([arg!, r!]);
      arg!.dispose();
      return {
        value: value!,
        gradFunc: (dy, saved) => [
          runKernel(BWD, { dy, arg: saved[0]! }, { xShape }) as tf.Tensor,
          tf.zerosLike(saved[1]!),
        ],
      };
    });
    return f(input, rois) as tf.Tensor4D;
  } finally {
    if (owned) rois.dispose();
  }
}

/**
 * RoIPool as a Module (torchvision's `RoIPool`), no parameters. See {@link roiPool}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RoIPool } from '@fovea/detection';
 * const pool = new RoIPool({ outputSize: 7, spatialScale: 1 / 16 });
 * const feats = pool.forward(tf.zeros([1, 50, 50, 256]), tf.tensor2d([[0, 10, 10, 200, 300]])); // [1, 7, 7, 256]
 * ```
 * @category RoI
 */
export class RoIPool extends Module<[tf.Tensor, RoiBoxes], tf.Tensor4D> {
  readonly options: RoiPoolOptions;

  constructor(opts: RoiPoolOptions) {
    super();
    outputSize('RoIPool', opts.outputSize);
    this.options = { ...opts };
  }

  forward(input: tf.Tensor, boxes: RoiBoxes): tf.Tensor4D {
    return roiPool(input, boxes, this.options);
  }
}
