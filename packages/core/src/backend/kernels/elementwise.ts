import type { CastAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface RefCounting { incRef(dataId: object): void }

/**
 * wasm Identity without a copy (the cpu backend's behaviour): the engine
 * clones every tensor it saves for the backward pass, and tfjs-backend-wasm
 * copies each one.
 */
export function makeIdentityNoCopy(original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string' && original) return original(args);
    (args.backend as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
  };
}

/** wasm Cast to the same dtype without a copy (tfjs's relu gradient casts a float32 step). */
export function makeCastNoCopy(original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as unknown as CastAttrs;
    if (x.dtype !== dtype || dtype === 'string' || dtype === 'complex64' || !original) {
      if (!original) throw new Error('Fovea kernels: no Cast kernel to delegate to');
      return original(args);
    }
    (args.backend as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
  };
}
