import { util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import { tensorIO } from './backend_io.js';

/**
 * UnsortedSegmentSum in one pass (ids outside `[0, numSegments)` are
 * dropped, as in TensorFlow). Missing in tfjs-backend-wasm (tf.gather's
 * gradient needs it); tfjs-backend-cpu's makes one pass per segment.
 */
export function makeUnsortedSegmentSum(backendName: 'wasm' | 'cpu', original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = args.attrs as unknown as UnsortedSegmentSumAttrs;
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || segmentIds.dtype !== 'int32') {
      if (original) return original(args);
      throw new Error(`Fovea kernels: UnsortedSegmentSum of ${x.dtype} by ${segmentIds.dtype} is not supported`);
    }
    const inner = util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
    const count = util.sizeFromShape(segmentIds.shape);
    const io = tensorIO(backendName, args.backend);
    const out = io.alloc([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype, true);
    const xv = io.values(x), ids = io.values(segmentIds), ov = io.values(out);
    for (let i = 0; i < count; i++) {
      const s = ids[i]!;
      if (s < 0 || s >= numSegments) continue;
      const src = i * inner, dst = s * inner;
      for (let k = 0; k < inner; k++) ov[dst + k] += xv[src + k]!;
    }
    return out;
  };
}
