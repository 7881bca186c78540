import { broadcast_util, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel } from './registry.js';
import { withCorrectEinsum } from './einsum_fix.js';
import { withShrinkingSliceFix } from './strided.js';

/**
 * Forward-pass shape bugs of tfjs 4.22 that hit every backend:
 *
 * - BatchMatMul / _FusedMatMul index the batch of each operand as
 *   `batch % batchSize`, which is only right when the operand's batch dims
 *   are a suffix of the output's (`[2, 3, m, k] x [3, k, n]`); a two-sided
 *   broadcast such as `[2, 1, m, k] x [3, k, n]` silently pairs the wrong
 *   matrices (cpu, wasm and webgpu alike). Those operands are tiled to the
 *   full batch first.
 * - Cumsum / Cumprod with a negative axis: tfjs-backend-cpu returns an empty
 *   tensor and tfjs-backend-wasm reads out of bounds. The axis is made
 *   non-negative first.
 * - Cumsum / Cumprod with `reverse` on webgpu: the shader bakes the scanned
 *   axis' length into its code but not into its cache key, so a later call
 *   with another length reuses a stale shader and sums the wrong elements.
 *   On webgpu the scan runs forward on the reversed input instead.
 * - Cast of int32/bool to float32 on webgpu only relabels the tensor, whose
 *   buffer stays int32; shaders that read their input buffer directly
 *   (Transpose, for one) then fail to compile ("type mismatch ... expected
 *   'f32', got 'i32'") and invalidate the whole command buffer, so
 *   `tf.transpose(tf.cast(mask, 'float32'))` returns garbage. On webgpu
 *   that cast writes a float32 buffer (a multiplication by 1).
 * - StridedSlice that shrinks one axis and steps another (`x[1, ::3]`):
 *   see `strided.ts`.
 * - Einsum with an index only one operand has: see `einsum_fix.ts`.
 */

type Dispose = (t: TensorInfo) => void;

function disposer(backend: object): Dispose {
  return (t) => { (backend as { disposeData(id: object): boolean }).disposeData(t.dataId); };
}

/** Whether `batch % size` indexing is right for an operand with these (left-padded) batch dims. */
function moduloIndexingWorks(padded: number[], outer: number[]): boolean {
  let i = 0;
  while (i < padded.length && padded[i] === 1) i++;
  for (; i < padded.length; i++) if (padded[i] !== outer[i]) return false;
  return true;
}

/** `t` (`[...batch, r, c]`) tiled to `[...outer, r, c]`, or `null` when tfjs indexes it right as it is. */
function expandBatch(backendName: string, backend: object, t: TensorInfo, outer: number[]): TensorInfo | null {
  const own = t.shape.slice(0, -2);
  const padded = [...new Array<number>(outer.length - own.length).fill(1), ...own];
  if (moduloIndexingWorks(padded, outer)) return null;
  const mat = t.shape.slice(-2);
  const r = callKernel('Reshape', backendName, backend, { x: t }, { shape: [...padded, ...mat] }); // [...padded, r, c]
  const tiled = callKernel('Tile', backendName, backend, { x: r }, { reps: [...outer.map((d, i) => d / padded[i]!), 1, 1] }); // [...outer, r, c]
  disposer(backend)(r);
  return tiled;
}

/** BatchMatMul / _FusedMatMul that broadcast batch dims both ways correctly. */
export function withBatchBroadcast(backendName: string, inner: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.shape.length <= 3 && b.shape.length <= 3) return inner(args); // one batch dim: equal sizes or one of them 1
    const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    if (util.sizeFromShape(outer) === 0) return inner(args);
    const a2 = expandBatch(backendName, args.backend, a, outer);
    const b2 = expandBatch(backendName, args.backend, b, outer);
    if (a2 === null && b2 === null) return inner(args);
    try {
      return inner({ ...args, inputs: { ...args.inputs, a: a2 ?? a, b: b2 ?? b } });
    } finally {
      const dispose = disposer(args.backend);
      if (a2 !== null) dispose(a2);
      if (b2 !== null) dispose(b2);
    }
  };
}

/** Cumsum / Cumprod with the axis made non-negative. */
export function withPositiveAxis(inner: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const axis = (args.attrs as { axis?: number } | undefined)?.axis ?? 0;
    if (axis >= 0) return inner(args);
    return inner({ ...args, attrs: { ...(args.attrs ?? {}), axis: axis + x.shape.length } as NamedAttrMap });
  };
}

/** webgpu Cumsum / Cumprod with `reverse`: reverse, scan forward, reverse back. */
export function withForwardScan(backendName: string, inner: KernelFunc): KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as { axis: number; exclusive: boolean; reverse: boolean };
    if (!attrs.reverse) return inner(args);
    const { x } = args.inputs as { x: TensorInfo };
    const dispose = disposer(args.backend);
    const flipped = callKernel('Reverse', backendName, args.backend, { x }, { dims: [attrs.axis] });
    const scanned = inner({ ...args, inputs: { x: flipped }, attrs: { ...(args.attrs ?? {}), reverse: false } as unknown as NamedAttrMap }) as TensorInfo;
    dispose(flipped);
    const out = callKernel('Reverse', backendName, args.backend, { x: scanned }, { dims: [attrs.axis] });
    dispose(scanned);
    return out;
  };
}

/** webgpu Cast int32/bool -> float32 into a real float32 buffer. */
export function withFloatBuffer(backendName: string, inner: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: string };
    if (dtype !== 'float32' || (x.dtype !== 'int32' && x.dtype !== 'bool')) return inner(args);
    const be = args.backend as { write(values: Float32Array, shape: number[], dtype: 'float32'): object };
    const one: TensorInfo = { dataId: be.write(new Float32Array([1]), [], 'float32'), shape: [], dtype: 'float32' };
    const out = callKernel('Multiply', backendName, args.backend, { a: x, b: one });
    disposer(args.backend)(one);
    return { dataId: out.dataId, shape: out.shape, dtype: 'float32' };
  };
}

function cumFix(backendName: string, inner: KernelFunc): KernelFunc {
  return withPositiveAxis(backendName === 'webgpu' ? withForwardScan(backendName, inner) : inner);
}

const FIXES: Record<string, (backendName: string, inner: KernelFunc) => KernelFunc> = {
  BatchMatMul: withBatchBroadcast,
  _FusedMatMul: withBatchBroadcast,
  Cumsum: cumFix,
  Cumprod: cumFix,
  Cast: (backendName, inner) => (backendName === 'webgpu' ? withFloatBuffer(backendName, inner) : inner),
  StridedSlice: withShrinkingSliceFix,
  Einsum: withCorrectEinsum,
};

/** The kernels {@link withShapeFixes} corrects. */
export const SHAPE_FIXED_KERNELS: readonly string[] = Object.keys(FIXES);

/** `inner` with the fix above for `kernelName`, or `inner` unchanged. */
export function withShapeFixes(kernelName: string, backendName: string, inner: KernelFunc | undefined): KernelFunc | undefined {
  const fix = FIXES[kernelName];
  return fix === undefined || inner === undefined ? inner : fix(backendName, inner);
}
