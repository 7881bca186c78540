import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel } from './registry.js';

/** What {@link biasActivation} needs of a backend: its name, the backend, and a way to free intermediates. */
export interface KernelContext {
  readonly backendName: string;
  readonly backend: object;
  dispose(t: TensorInfo): void;
}

/** A {@link KernelContext} for any tfjs backend (frees through `disposeData`). */
export function kernelContext(backendName: string, backend: object): KernelContext {
  return { backendName, backend, dispose: (t) => { (backend as { disposeData(id: object): boolean }).disposeData(t.dataId); } };
}

const ACTIVATION_KERNELS: Record<string, string> = { relu: 'Relu', relu6: 'Relu6', elu: 'Elu', sigmoid: 'Sigmoid', tanh: 'Tanh' };

/** Adds the bias and applies the activation of a fused op to `y` (consumed). */
export function biasActivation(io: KernelContext, y: TensorInfo, bias: TensorInfo | undefined, prelu: TensorInfo | undefined, attrs: NamedAttrMap): TensorInfo {
  const be = io.backend, bn = io.backendName;
  let out = y;
  if (bias !== undefined) {
    const t = callKernel('Add', bn, be, { a: out, b: bias });
    io.dispose(out);
    out = t;
  }
  const act = (attrs['activation'] as string | undefined) ?? 'linear';
  if (act === 'linear') return out;
  let t: TensorInfo;
  if (act === 'prelu') t = callKernel('Prelu', bn, be, { x: out, alpha: prelu! });
  else if (act === 'leakyrelu') t = callKernel('LeakyRelu', bn, be, { x: out }, { alpha: (attrs['leakyreluAlpha'] as number | undefined) ?? 0.2 });
  else {
    const name = ACTIVATION_KERNELS[act];
    if (name === undefined) throw new Error(`Fovea kernels: unknown activation '${act}'`);
    t = callKernel(name, bn, be, { x: out });
  }
  io.dispose(out);
  return t;
}

