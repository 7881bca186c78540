/**
 * Kernels Fovea registers on top of tfjs-backend-wasm, tfjs-backend-cpu and
 * tfjs-backend-webgpu 4.22: the training kernels wasm lacks, replacements
 * for wrong or slow ones, and PyTorch's answers for empty inputs. See
 * README.md in this folder for the list, the reasons and the measured
 * gains. Nothing happens at import time; `initBackend()` calls the
 * functions below after the backend is set.
 *
 * @packageDocumentation
 */
import { getKernel, type KernelFunc } from '@tensorflow/tfjs-core';
import { makeBatchMatMul, makeFusedMatMul } from './batch_matmul.js';
import { makeConv2DBackpropFilter, makeConv2DBackpropInput, makeConv3DBackpropFilter, makeConv3DBackpropInput } from './conv_backprop.js';
import { makeAddCpu, makeConv2DCpu, makeFusedConv2DCpu, makeSumCpu } from './cpu_fast.js';
import { makeDepthwiseBackpropFilter, makeDepthwiseBackpropInput } from './depthwise_backprop.js';
import { makeDilation2DBackprop } from './dilation_backprop.js';
import { makeEinsum } from './einsum.js';
import { makeCastNoCopy, makeIdentityNoCopy } from './elementwise.js';
import { EMPTY_GUARDED_KERNELS, withEmptyGuard } from './empty.js';
import { makeBatchGather } from './gather.js';
import { makeAvgPoolGrad, makeMaxPoolGrad } from './pool_grad.js';
import { makeCollapsedReduce, makeLeadingSumWasm } from './reduce.js';
import { overrideKernel } from './registry.js';
import { SHAPE_FIXED_KERNELS, withShapeFixes } from './shape_fixes.js';
import { withXnnCacheGuard } from './xnn_cache.js';
import { makeResizeBilinearGrad, makeResizeNearestNeighborGrad } from './resize_grad.js';
import { makeUnsortedSegmentSum } from './segment.js';

export { foveaKernels } from './registry.js';

/**
 * Registers `make(original)` for `kernelName` on backend `b`, behind the
 * shape fixes of `shape_fixes.ts` and the empty-input guard of `empty.ts`
 * when that kernel has them.
 */
function reg(kernelName: string, b: string, make: (original: KernelFunc | undefined) => KernelFunc): void {
  overrideKernel(kernelName, b, (orig) => withEmptyGuard(kernelName, b, withShapeFixes(kernelName, b, make(orig)))!);
}

/** Puts the shape fixes and the empty-input guard in front of every such kernel of `b` that Fovea did not replace already. */
function guardAll(b: string): void {
  for (const name of new Set([...EMPTY_GUARDED_KERNELS, ...SHAPE_FIXED_KERNELS])) {
    const k = getKernel(name, b);
    if (k === undefined) continue;
    const wrapped = withEmptyGuard(name, b, withShapeFixes(name, b, k.kernelFunc));
    if (wrapped !== k.kernelFunc) reg(name, b, (orig) => orig!);
  }
}

function registerCommon(b: 'wasm' | 'cpu'): void {
  reg('Conv2DBackpropFilter', b, (orig) => makeConv2DBackpropFilter(b, orig));
  reg('Conv2DBackpropInput', b, (orig) => makeConv2DBackpropInput(b, orig));
  reg('Conv3DBackpropFilterV2', b, () => makeConv3DBackpropFilter(b));
  reg('Conv3DBackpropInputV2', b, () => makeConv3DBackpropInput(b));
  reg('DepthwiseConv2dNativeBackpropFilter', b, () => makeDepthwiseBackpropFilter(b));
  reg('DepthwiseConv2dNativeBackpropInput', b, () => makeDepthwiseBackpropInput(b));
  reg('MaxPoolGrad', b, () => makeMaxPoolGrad(b, false));
  reg('MaxPool3DGrad', b, () => makeMaxPoolGrad(b, true));
  reg('AvgPoolGrad', b, () => makeAvgPoolGrad(b, false));
  reg('AvgPool3DGrad', b, () => makeAvgPoolGrad(b, true));
  reg('ResizeBilinearGrad', b, () => makeResizeBilinearGrad(b));
  reg('ResizeNearestNeighborGrad', b, () => makeResizeNearestNeighborGrad(b));
  // on wasm, tfjs's own matmul (kept for the cases it does well) behind the XNNPACK operator-cache guard
  reg('BatchMatMul', b, (orig) => makeBatchMatMul(b, b === 'wasm' ? withXnnCacheGuard(orig) : orig));
  reg('_FusedMatMul', b, (orig) => makeFusedMatMul(b, b === 'wasm' ? withXnnCacheGuard(orig) : orig));
  reg('UnsortedSegmentSum', b, (orig) => makeUnsortedSegmentSum(b, orig));
  reg('Dilation2DBackpropInput', b, () => makeDilation2DBackprop(b, 'input'));
  reg('Dilation2DBackpropFilter', b, () => makeDilation2DBackprop(b, 'filter'));
}

/**
 * Registers Fovea's kernels for the `wasm` backend: the gradient kernels
 * tfjs-backend-wasm 4.22 lacks (Conv2DBackpropFilter, depthwise backprops,
 * UnsortedSegmentSum, Einsum), correct versions of ones it gets wrong
 * (MaxPoolGrad, Conv3D backprops, AvgPoolGrad with 'same' padding, resize
 * gradients with halfPixelCenters) and fast versions of slow ones
 * (Conv2DBackpropInput, transposed/batched BatchMatMul), a correct GatherV2
 * with `batchDims` (tfjs-backend-wasm's reads the wrong batches), and PyTorch's answers
 * for empty inputs (tfjs-backend-wasm returns uninitialised memory for a
 * reduction over nothing). Idempotent.
 */
export function registerWasmKernels(): void {
  registerCommon('wasm');
  reg('Einsum', 'wasm', () => makeEinsum('wasm'));
  reg('GatherV2', 'wasm', (orig) => makeBatchGather(orig));
  overrideKernel('Identity', 'wasm', (orig) => makeIdentityNoCopy(orig));
  overrideKernel('Cast', 'wasm', (orig) => makeCastNoCopy(orig));
  reg('Sum', 'wasm', (orig) => makeLeadingSumWasm(makeCollapsedReduce(orig)));
  for (const r of ['Mean', 'Max', 'Min', 'Prod']) reg(r, 'wasm', (orig) => makeCollapsedReduce(orig));
  guardAll('wasm');
}

/**
 * Registers Fovea's kernels for the `cpu` backend: GEMM-based convolution
 * gradients and matmul (tfjs-backend-cpu's Conv2DBackpropFilter takes
 * seconds), linear-time UnsortedSegmentSum, and correct resize/avg-pool
 * gradients, and PyTorch's answers for empty inputs (mean NaN, all true).
 * Idempotent.
 */
export function registerCpuKernels(): void {
  registerCommon('cpu');
  reg('Conv2D', 'cpu', (orig) => makeConv2DCpu(orig));
  reg('FusedConv2D', 'cpu', (orig) => makeFusedConv2DCpu(orig));
  reg('Sum', 'cpu', (orig) => makeSumCpu(orig));
  overrideKernel('Add', 'cpu', (orig) => makeAddCpu(orig));
  guardAll('cpu');
}

/**
 * Registers Fovea's kernels for the `webgpu` backend: the empty-input guard
 * (tfjs-backend-webgpu 4.22 throws `createBuffer` errors or records invalid
 * bind groups when a kernel reads an empty tensor — sums, means, max, matmul
 * with `k = 0`, convolutions of an empty batch and their gradients, segment
 * sums, top-k, softmax...) and the shape fixes every backend needs
 * (two-sided batch broadcasting in matMul, negative cumsum/cumprod axes).
 * Idempotent.
 */
export function registerWebGPUKernels(): void {
  guardAll('webgpu');
}
