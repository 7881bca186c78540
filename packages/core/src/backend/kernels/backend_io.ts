import { util } from '@tensorflow/tfjs-core';
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel } from './registry.js';
import { gemm } from './gemm.js';
import { xnnKey, xnnRightOperand } from './xnn_cache.js';

/** The parts of tfjs-backend-wasm's `BackendWasm` these kernels use. */
export interface WasmBackendLike {
  wasm: {
    HEAPU8: Uint8Array;
    /** Present in the threaded build, whose heap views can go stale when another thread grows memory. */
    wasmMemory?: { buffer: ArrayBufferLike };
    tfjs: { registerTensor(id: number, size: number, memoryOffset: number): void; disposeData(id: number): void };
  };
  dataIdMap: {
    get(dataId: object): { id: number; memoryOffset: number } | undefined;
    delete(dataId: object): boolean;
  };
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** The parts of tfjs-backend-cpu's `MathBackendCPU` these kernels use. */
export interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values?: unknown): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

type Numeric = Float32Array | Int32Array | Uint8Array;

/**
 * Backend-neutral access to tensor memory for the JS parts of the kernels.
 * On wasm, views point into the wasm heap and are invalidated by the next
 * allocation (the heap may grow): allocate first, then take views.
 */
export interface TensorIO {
  readonly backendName: 'wasm' | 'cpu';
  readonly backend: object;
  /** A new tensor; `zero` fills it with zeros (wasm memory is not cleared). */
  alloc(shape: number[], dtype: DataType, zero?: boolean): TensorInfo;
  /** The tensor's values (a live view on wasm; never mutate inputs). */
  f32(t: TensorInfo): Float32Array;
  values(t: TensorInfo): Numeric;
  dispose(t: TensorInfo): void;
  /** `[M,K] x [K,N]` row-major, plain (no transposes); returns a new `[M,N]` tensor. */
  matmul(a: TensorInfo, b: TensorInfo, m: number, k: number, n: number): TensorInfo;
}

function heapBuffer(be: WasmBackendLike): ArrayBufferLike {
  return be.wasm.wasmMemory?.buffer ?? be.wasm.HEAPU8.buffer;
}

function wasmIO(backend: object): TensorIO {
  const be = backend as WasmBackendLike;
  const view = (t: TensorInfo): Numeric => {
    const d = be.dataIdMap.get(t.dataId);
    if (d === undefined) throw new Error('Fovea kernels: tensor data not on the wasm backend');
    const size = util.sizeFromShape(t.shape);
    const buf = heapBuffer(be);
    if (t.dtype === 'float32') return new Float32Array(buf, d.memoryOffset, size);
    if (t.dtype === 'int32') return new Int32Array(buf, d.memoryOffset, size);
    if (t.dtype === 'bool') return new Uint8Array(buf, d.memoryOffset, size);
    throw new Error(`Fovea kernels: dtype ${t.dtype} is not supported`);
  };
  return {
    backendName: 'wasm',
    backend,
    alloc(shape, dtype, zero = false) {
      const t = be.makeOutput(shape, dtype);
      if (zero) view(t).fill(0);
      return t;
    },
    f32: (t) => view(t) as Float32Array,
    values: view,
    dispose: (t) => { be.disposeData(t.dataId); },
    matmul(a, b, m, k, n) {
      const b3: TensorInfo = { dataId: b.dataId, shape: [1, k, n], dtype: 'float32' };
      const { t, release } = xnnRightOperand(backend, b3, xnnKey(b3, false));
      try {
        const out = callKernel('BatchMatMul', 'wasm', backend, {
          a: { dataId: a.dataId, shape: [1, m, k], dtype: 'float32' },
          b: t,
        }, { transposeA: false, transposeB: false });
        return { dataId: out.dataId, shape: [m, n], dtype: 'float32' };
      } finally {
        release();
      }
    },
  };
}

function cpuIO(backend: object): TensorIO {
  const be = backend as CpuBackendLike;
  const values = (t: TensorInfo): Numeric => {
    const v = be.data.get(t.dataId)?.values;
    if (v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array) return v;
    throw new Error(`Fovea kernels: dtype ${t.dtype} is not supported`);
  };
  const alloc = (shape: number[], dtype: DataType): TensorInfo => {
    const size = util.sizeFromShape(shape);
    const v = dtype === 'float32' ? new Float32Array(size) : dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size);
    return be.makeTensorInfo(shape, dtype, v);
  };
  return {
    backendName: 'cpu',
    backend,
    alloc,
    f32: (t) => values(t) as Float32Array,
    values,
    dispose: (t) => { be.disposeData(t.dataId); },
    matmul(a, b, m, k, n) {
      const out = alloc([m, n], 'float32');
      gemm(m, n, k, values(a) as Float32Array, 0, values(b) as Float32Array, 0, values(out) as Float32Array, 0);
      return out;
    },
  };
}

/** {@link TensorIO} for a kernel's backend. */
export function tensorIO(backendName: 'wasm' | 'cpu', backend: object): TensorIO {
  return backendName === 'wasm' ? wasmIO(backend) : cpuIO(backend);
}

/**
 * A wasm tensor that aliases `count` elements of `parent` from element
 * `offset` on: no copy. Release it with {@link disposeWasmView}, never with
 * `disposeData` (that would free the parent's memory).
 */
export function wasmView(backend: object, parent: TensorInfo, offset: number, shape: number[]): TensorInfo {
  const be = backend as WasmBackendLike;
  const d = be.dataIdMap.get(parent.dataId);
  if (d === undefined) throw new Error('Fovea kernels: tensor data not on the wasm backend');
  const bytes = parent.dtype === 'bool' ? 1 : 4;
  return be.makeOutput(shape, parent.dtype, d.memoryOffset + offset * bytes);
}

/** The whole wasm heap as float32 (valid until the next allocation). */
export function wasmHeapF32(backend: object): Float32Array {
  return new Float32Array(heapBuffer(backend as WasmBackendLike));
}

/** Element offset (in float32 units) of a wasm tensor in {@link wasmHeapF32}. */
export function wasmOffset(backend: object, t: TensorInfo): number {
  const d = (backend as WasmBackendLike).dataIdMap.get(t.dataId);
  if (d === undefined) throw new Error('Fovea kernels: tensor data not on the wasm backend');
  return d.memoryOffset >> 2;
}

/** Releases a tensor made by {@link wasmView}. */
export function disposeWasmView(backend: object, v: TensorInfo): void {
  const be = backend as WasmBackendLike;
  const d = be.dataIdMap.get(v.dataId);
  if (d === undefined) return;
  be.wasm.tfjs.disposeData(d.id);
  be.dataIdMap.delete(v.dataId);
}
