import { broadcast_util, util } from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, KernelFunc, TensorInfo, _FusedMatMulAttrs } from '@tensorflow/tfjs-core';
import { disposeWasmView, tensorIO, wasmView, type TensorIO } from './backend_io.js';
import { gemmStrided, transpose2d } from './gemm.js';
import { callKernel } from './registry.js';
import { biasActivation } from './fused_util.js';

interface MatMulShape {
  batchA: number; batchB: number; batch: number;
  m: number; k: number; n: number;
  outShape: number[];
}

function matMulShape(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): MatMulShape | null {
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) return null;
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = util.sizeFromShape(outerA), batchB = util.sizeFromShape(outerB);
  // Only "same batch" or "one side unbatched" broadcasting; the rest goes to tfjs.
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  const outer = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  if (util.sizeFromShape(outer) !== Math.max(batchA, batchB)) return null;
  return { batchA, batchB, batch: Math.max(batchA, batchB), m, k, n, outShape: [...outer, m, n] };
}

/** Copies `t` as `[batch, rows, cols]` into a new tensor with the last two axes swapped. */
function transposed(io: TensorIO, t: TensorInfo, batch: number, rows: number, cols: number): TensorInfo {
  if (io.backendName === 'wasm') {
    return callKernel('Transpose', 'wasm', io.backend, { x: { dataId: t.dataId, shape: [batch, rows, cols], dtype: 'float32' } }, { perm: [0, 2, 1] });
  }
  const out = io.alloc([batch, cols, rows], 'float32');
  const src = io.f32(t), dst = io.f32(out);
  for (let i = 0; i < batch; i++) transpose2d(src, i * rows * cols, dst, i * rows * cols, rows, cols);
  return out;
}

/** Below this many multiply-adds per matrix, per-matrix XNNPACK calls cost more than tfjs's loop. */
const SMALL_BATCHED = 16 * 16 * 16;

/**
 * wasm: `A·B` for `[batch, m, k] x [batch, k, n]` (either side may be
 * unbatched), no transposes: one XNNPACK product per matrix on zero-copy
 * views. An unbatched right operand is one view for the whole loop, so
 * XNNPACK packs it once rather than once per matrix.
 */
function wasmPlain(io: TensorIO, a: TensorInfo, b: TensorInfo, s: MatMulShape): TensorInfo {
  const { m, k, n, batch, batchA, batchB } = s;
  if (batch === 1) {
    const out = io.matmul(a, b, m, k, n);
    return { dataId: out.dataId, shape: s.outShape, dtype: 'float32' };
  }
  const out = io.alloc([batch, m, n], 'float32');
  const shared = batchB === 1 ? wasmView(io.backend, b, 0, [k, n]) : null;
  try {
    for (let i = 0; i < batch; i++) {
      const av = wasmView(io.backend, a, (batchA === 1 ? 0 : i) * m * k, [m, k]);
      const bv = shared ?? wasmView(io.backend, b, i * k * n, [k, n]);
      const r = io.matmul(av, bv, m, k, n);
      disposeWasmView(io.backend, av);
      if (bv !== shared) disposeWasmView(io.backend, bv);
      io.f32(out).set(io.f32(r), i * m * n);
      io.dispose(r);
    }
  } finally {
    if (shared !== null) disposeWasmView(io.backend, shared);
  }
  return { dataId: out.dataId, shape: s.outShape, dtype: 'float32' };
}

function wasmMatMul(io: TensorIO, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, s: MatMulShape): TensorInfo {
  const { m, k, n, batchA, batchB } = s;
  const a2 = transposeA ? transposed(io, a, batchA, k, m) : a;
  const b2 = transposeB ? transposed(io, b, batchB, n, k) : b;
  const out = wasmPlain(io, a2, b2, s);
  if (a2 !== a) io.dispose(a2);
  if (b2 !== b) io.dispose(b2);
  return out;
}

function cpuMatMul(io: TensorIO, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, s: MatMulShape): TensorInfo {
  const { m, k, n, batch, batchA, batchB } = s;
  const out = io.alloc(s.outShape, 'float32');
  const av = io.f32(a), bv = io.f32(b), ov = io.f32(out);
  for (let i = 0; i < batch; i++) {
    const ao = (batchA === 1 ? 0 : i) * m * k, bo = (batchB === 1 ? 0 : i) * k * n;
    gemmStrided(m, n, k,
      { data: av, offset: ao, rowStride: transposeA ? 1 : k, colStride: transposeA ? m : 1 },
      { data: bv, offset: bo, rowStride: transposeB ? 1 : n, colStride: transposeB ? k : 1 },
      ov, i * m * n);
  }
  return out;
}

function fastPathApplies(backendName: 'wasm' | 'cpu', a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, s: MatMulShape | null): s is MatMulShape {
  if (s === null || a.dtype !== 'float32' || b.dtype !== 'float32') return false;
  if (backendName === 'cpu') return true;
  if (s.batch === 1) return true;
  return s.m * s.k * s.n >= SMALL_BATCHED || transposeA || transposeB;
}

/**
 * BatchMatMul. wasm: tfjs runs XNNPACK only for one untransposed matrix
 * pair and a scalar loop otherwise; this transposes in JS and runs XNNPACK
 * per matrix. cpu: a register-blocked JS GEMM.
 */
export function makeBatchMatMul(backendName: 'wasm' | 'cpu', original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const s = matMulShape(a, b, transposeA, transposeB);
    const small = backendName === 'wasm' && s !== null && s.batch === 1 && !transposeA && !transposeB;
    if ((small || !fastPathApplies(backendName, a, b, transposeA, transposeB, s)) && original) return original(args);
    if (s === null) throw new Error('Fovea kernels: BatchMatMul shapes not supported');
    const io = tensorIO(backendName, args.backend);
    return backendName === 'wasm' ? wasmMatMul(io, a, b, transposeA, transposeB, s) : cpuMatMul(io, a, b, transposeA, transposeB, s);
  };
}

/**
 * _FusedMatMul (matMul + bias + activation): on wasm, transposed or batched
 * operands take the fast matmul above, then the bias/activation kernels
 * (tfjs-backend-wasm 4.22 adds the wrong bias element to every row after the
 * first on that path); the plain single-matrix case stays with tfjs
 * (XNNPACK fuses it). On cpu, the JS GEMM then the bias/activation kernels.
 */
export function makeFusedMatMul(backendName: 'wasm' | 'cpu', original: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const attrs = (args.attrs ?? {}) as unknown as _FusedMatMulAttrs;
    const { transposeA, transposeB } = attrs;
    const s = matMulShape(a, b, transposeA, transposeB);
    const plain = backendName === 'wasm' && s !== null && s.batch === 1 && !transposeA && !transposeB && (bias === undefined || bias.shape.length === 1);
    // tfjs-backend-wasm's loop for the other cases indexes the bias wrongly
    // (rows after the first get bias[n-1]): never delegate those.
    const ours = s !== null && a.dtype === 'float32' && b.dtype === 'float32';
    if ((plain || !ours) && original) return original(args);
    if (s === null) throw new Error('Fovea kernels: _FusedMatMul shapes not supported');
    const io = tensorIO(backendName, args.backend);
    if (backendName === 'wasm' && s.batch === 1 && original && (bias === undefined || bias.shape.length === 1)) {
      // transpose in JS, then let XNNPACK fuse bias and activation
      const a2 = transposeA ? transposed(io, a, 1, s.k, s.m) : a;
      const b2 = transposeB ? transposed(io, b, 1, s.n, s.k) : b;
      const r = original({
        inputs: { ...args.inputs, a: { dataId: a2.dataId, shape: [1, s.m, s.k], dtype: 'float32' }, b: { dataId: b2.dataId, shape: [1, s.k, s.n], dtype: 'float32' } },
        backend: args.backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }) as TensorInfo;
      if (a2 !== a) io.dispose(a2);
      if (b2 !== b) io.dispose(b2);
      return { dataId: r.dataId, shape: s.outShape, dtype: 'float32' };
    }
    const y = backendName === 'wasm' ? wasmMatMul(io, a, b, transposeA, transposeB, s) : cpuMatMul(io, a, b, transposeA, transposeB, s);
    return biasActivation(io, y, bias, preluActivationWeights, args.attrs ?? {});
  };
}
