import { backend_util, util } from '@tensorflow/tfjs-core';
import type { GatherV2Attrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tensorIO } from './backend_io.js';

/**
 * GatherV2 with `batchDims > 0` on wasm: tfjs-backend-wasm 4.22 mixes up the
 * batches and reads past the input (garbage or an out-of-bounds trap). This
 * is tfjs-backend-cpu's algorithm on the wasm heap:
 * `out[b, o, i, s] = x[b, o, indices[b, i], s]`. Other gathers go to tfjs.
 */
export function makeBatchGather(original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
    if (!batchDims || (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool')) {
      if (!original) throw new Error('Fovea kernels: no GatherV2 kernel to delegate to');
      return original(args);
    }
    const ax = util.parseAxisParam(axis, x.shape)[0]!;
    const info = backend_util.segment_util.collectGatherOpShapeInfo(x as never, indices as never, ax, batchDims);
    const io = tensorIO('wasm', args.backend);
    const out = io.alloc(info.outputShape.slice(), x.dtype);
    const xv = io.values(x), iv = io.values(indices), ov = io.values(out);
    const { batchSize, outerSize, dimSize, sliceSize } = info;
    const perBatch = util.sizeFromShape(indices.shape) / batchSize;
    let o = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let p = 0; p < outerSize; p++) {
        for (let i = 0; i < perBatch; i++) {
          const index = iv[b * perBatch + i]!;
          if (index < 0 || index >= dimSize) {
            io.dispose(out);
            throw new Error(`GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`);
          }
          const src = ((b * outerSize + p) * dimSize + index) * sliceSize;
          ov.set(xv.subarray(src, src + sliceSize), o);
          o += sliceSize;
        }
      }
    }
    return out;
  };
}
