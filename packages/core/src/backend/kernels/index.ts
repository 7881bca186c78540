/**
 * Kernels Fovea registers on top of tfjs-backend-wasm and tfjs-backend-cpu
 * 4.22: the training kernels wasm lacks, replacements for wrong or slow
 * ones. See README.md in this folder for the list, the reasons and the
 * measured gains. Nothing happens at import time; `initBackend()` calls the
 * two functions below after the backend is set.
 *
 * @packageDocumentation
 */
import { makeBatchMatMul, makeFusedMatMul } from './batch_matmul.js';
import { makeConv2DBackpropFilter, makeConv2DBackpropInput, makeConv3DBackpropFilter, makeConv3DBackpropInput } from './conv_backprop.js';
import { makeAddCpu, makeConv2DCpu, makeFusedConv2DCpu, makeSumCpu } from './cpu_fast.js';
import { makeDepthwiseBackpropFilter, makeDepthwiseBackpropInput } from './depthwise_backprop.js';
import { makeDilation2DBackprop } from './dilation_backprop.js';
import { makeEinsum } from './einsum.js';
import { makeCastNoCopy, makeIdentityNoCopy } from './elementwise.js';
import { makeAvgPoolGrad, makeMaxPoolGrad } from './pool_grad.js';
import { makeCollapsedReduce } from './reduce.js';
import { overrideKernel } from './registry.js';
import { makeResizeBilinearGrad, makeResizeNearestNeighborGrad } from './resize_grad.js';
import { makeUnsortedSegmentSum } from './segment.js';

export { foveaKernels } from './registry.js';

function registerCommon(b: 'wasm' | 'cpu'): void {
  overrideKernel('Conv2DBackpropFilter', b, (orig) => makeConv2DBackpropFilter(b, orig));
  overrideKernel('Conv2DBackpropInput', b, (orig) => makeConv2DBackpropInput(b, orig));
  overrideKernel('Conv3DBackpropFilterV2', b, () => makeConv3DBackpropFilter(b));
  overrideKernel('Conv3DBackpropInputV2', b, () => makeConv3DBackpropInput(b));
  overrideKernel('DepthwiseConv2dNativeBackpropFilter', b, () => makeDepthwiseBackpropFilter(b));
  overrideKernel('DepthwiseConv2dNativeBackpropInput', b, () => makeDepthwiseBackpropInput(b));
  overrideKernel('MaxPoolGrad', b, () => makeMaxPoolGrad(b, false));
  overrideKernel('MaxPool3DGrad', b, () => makeMaxPoolGrad(b, true));
  overrideKernel('AvgPoolGrad', b, () => makeAvgPoolGrad(b, false));
  overrideKernel('AvgPool3DGrad', b, () => makeAvgPoolGrad(b, true));
  overrideKernel('ResizeBilinearGrad', b, () => makeResizeBilinearGrad(b));
  overrideKernel('ResizeNearestNeighborGrad', b, () => makeResizeNearestNeighborGrad(b));
  overrideKernel('BatchMatMul', b, (orig) => makeBatchMatMul(b, orig));
  overrideKernel('_FusedMatMul', b, (orig) => makeFusedMatMul(b, orig));
  overrideKernel('UnsortedSegmentSum', b, (orig) => makeUnsortedSegmentSum(b, orig));
  overrideKernel('Dilation2DBackpropInput', b, () => makeDilation2DBackprop(b, 'input'));
  overrideKernel('Dilation2DBackpropFilter', b, () => makeDilation2DBackprop(b, 'filter'));
}

/**
 * Registers Fovea's kernels for the `wasm` backend: the gradient kernels
 * tfjs-backend-wasm 4.22 lacks (Conv2DBackpropFilter, depthwise backprops,
 * UnsortedSegmentSum, Einsum), correct versions of ones it gets wrong
 * (MaxPoolGrad, Conv3D backprops, AvgPoolGrad with 'same' padding, resize
 * gradients with halfPixelCenters) and fast versions of slow ones
 * (Conv2DBackpropInput, transposed/batched BatchMatMul). Idempotent.
 */
export function registerWasmKernels(): void {
  registerCommon('wasm');
  overrideKernel('Einsum', 'wasm', () => makeEinsum('wasm'));
  overrideKernel('Identity', 'wasm', (orig) => makeIdentityNoCopy(orig));
  overrideKernel('Cast', 'wasm', (orig) => makeCastNoCopy(orig));
  for (const r of ['Sum', 'Mean', 'Max', 'Min', 'Prod']) overrideKernel(r, 'wasm', (orig) => makeCollapsedReduce(orig));
}

/**
 * Registers Fovea's kernels for the `cpu` backend: GEMM-based convolution
 * gradients and matmul (tfjs-backend-cpu's Conv2DBackpropFilter takes
 * seconds), linear-time UnsortedSegmentSum, and correct resize/avg-pool
 * gradients. Idempotent.
 */
export function registerCpuKernels(): void {
  registerCommon('cpu');
  overrideKernel('Conv2D', 'cpu', (orig) => makeConv2DCpu(orig));
  overrideKernel('FusedConv2D', 'cpu', (orig) => makeFusedConv2DCpu(orig));
  overrideKernel('Sum', 'cpu', (orig) => makeSumCpu(orig));
  overrideKernel('Add', 'cpu', (orig) => makeAddCpu(orig));
}
