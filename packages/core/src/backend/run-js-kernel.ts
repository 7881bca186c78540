import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * A typed array a JavaScript kernel reads or writes: `float32` as
 * `Float32Array`, `int32` as `Int32Array`, `bool` as `Uint8Array` (one byte
 * per element, 0 or 1).
 *
 * @category Backends
 */
export type KernelArray = Float32Array | Int32Array | Uint8Array;

/**
 * Shape and dtype of one output of {@link runJsKernel}.
 *
 * @category Backends
 */
export interface JsKernelOutput {
  /** The output's shape. */
  shape: number[];
  /** The output's dtype. */
  dtype: 'float32' | 'int32' | 'bool';
}

/**
 * Options for {@link runJsKernel}.
 *
 * @category Backends
 */
export interface RunJsKernelOptions {
  /** Fill the outputs with zeros before the body runs (wasm memory is not cleared); default `true`. Pass `false` for bodies that write every element. */
  zeroed?: boolean;
}

/** The parts of tfjs-backend-wasm's `BackendWasm` used here. */
interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array; wasmMemory?: { buffer: ArrayBufferLike } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** The parts of tfjs-backend-cpu's `MathBackendCPU` used here. */
interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values: KernelArray): TensorInfo;
}

/** What any other backend with synchronous reads offers. */
interface SyncBackendLike {
  readSync(dataId: object): unknown;
  write(values: KernelArray, shape: number[], dtype: DataType): object;
}

function isWasm(b: object): b is WasmBackendLike {
  const w = b as Partial<WasmBackendLike>;
  return typeof w.makeOutput === 'function' && w.wasm?.HEAPU8 instanceof Uint8Array && typeof w.dataIdMap?.get === 'function';
}

function isCpu(b: object): b is CpuBackendLike {
  const c = b as Partial<CpuBackendLike>;
  return typeof c.makeTensorInfo === 'function' && typeof c.data?.get === 'function';
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function newArray(dtype: JsKernelOutput['dtype'], n: number): KernelArray {
  return dtype === 'float32' ? new Float32Array(n) : dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
}

function checkDtype(t: { dtype: DataType }): void {
  if (t.dtype !== 'float32' && t.dtype !== 'int32' && t.dtype !== 'bool') {
    throw new Error(`runJsKernel: dtype '${t.dtype}' is not supported (float32, int32 or bool)`);
  }
}

/** A view of a wasm tensor in the current heap (the threaded build's memory can grow from another thread). */
function wasmView(be: WasmBackendLike, t: TensorInfo): KernelArray {
  const d = be.dataIdMap.get(t.dataId);
  if (d === undefined) throw new Error('runJsKernel: a tensor is not on this wasm backend');
  const buffer = be.wasm.wasmMemory?.buffer ?? be.wasm.HEAPU8.buffer;
  const n = size(t.shape);
  if (t.dtype === 'float32') return new Float32Array(buffer, d.memoryOffset, n);
  if (t.dtype === 'int32') return new Int32Array(buffer, d.memoryOffset, n);
  return new Uint8Array(buffer, d.memoryOffset, n);
}

function runWasm(be: WasmBackendLike, inputs: readonly TensorInfo[], outputs: readonly JsKernelOutput[], body: (i: KernelArray[], o: KernelArray[]) => void, zeroed: boolean): TensorInfo[] {
  const infos = outputs.map((o) => be.makeOutput(o.shape.slice(), o.dtype));
  try {
    // views only after every allocation: a malloc may grow (and detach) the heap
    const ins = inputs.map((t) => wasmView(be, t));
    const outs = infos.map((t) => wasmView(be, t));
    if (zeroed) outs.forEach((o) => o.fill(0));
    body(ins, outs);
    return infos;
  } catch (e) {
    infos.forEach((t) => be.disposeData(t.dataId));
    throw e;
  }
}

function cpuValues(be: CpuBackendLike, t: TensorInfo): KernelArray {
  const v = be.data.get(t.dataId)?.values;
  if (v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array) return v;
  throw new Error('runJsKernel: a tensor has no values on this cpu backend');
}

/**
 * Runs a JavaScript kernel body directly on the memory of a CPU-memory
 * backend, for use inside a `kernelFunc` registered with `tf.registerKernel`:
 * the inputs are handed over as typed arrays without copying (views into
 * the wasm heap on `wasm`, the stored arrays on `cpu`), the outputs are
 * allocated by the backend itself and written in place, and the result is
 * what a kernel returns. On any other backend with synchronous reads it
 * falls back to `readSync` / `write` (copies); on `webgpu` it throws, since
 * the data lives on the GPU (register a WGSL kernel there).
 *
 * The body must treat its inputs as read-only and must not call tfjs while it
 * runs (a wasm allocation could move the heap under the views). If it
 * throws, the outputs are freed and the error passes through.
 *
 * @param backend - The `backend` a kernel function receives.
 * @param inputs - Input tensors (`float32`, `int32` or `bool`), in the order the body expects.
 * @param outputs - Shape and dtype of each output.
 * @param body - Reads `inputs[i]`, writes `outputs[j]` (row-major, like the tensors).
 * @param options - See {@link RunJsKernelOptions}.
 * @returns One `TensorInfo` per output, owned by the caller (the engine, when returned from a kernel).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { runJsKernel } from '@fovea/core';
 *
 * // a running maximum along the last axis of x `[N, D]`, as a kernel for wasm and cpu
 * for (const backendName of ['wasm', 'cpu']) {
 *   tf.registerKernel({
 *     kernelName: 'MyCumMax',
 *     backendName,
 *     kernelFunc: ({ inputs, backend }) => {
 *       const x = inputs['x']!;
 *       const [N, D] = x.shape as [number, number];
 *       return runJsKernel(backend, [x], [{ shape: [N, D], dtype: 'float32' }], ([xv], [out]) => {
 *         for (let n = 0; n < N; n++) {
 *           let m = -Infinity;
 *           for (let d = 0; d < D; d++) out![n * D + d] = m = Math.max(m, xv![n * D + d]!);
 *         }
 *       }, { zeroed: false })[0]!;
 *     },
 *   });
 * }
 * const y = tf.engine().runKernel('MyCumMax', { x: tf.tensor2d([[1, 3, 2]]) }, {}) as tf.Tensor;
 * console.log(await y.data()); // Float32Array [1, 3, 3]
 * ```
 * @category Backends
 */
export function runJsKernel(
  backend: object,
  inputs: readonly TensorInfo[],
  outputs: readonly JsKernelOutput[],
  body: (inputs: KernelArray[], outputs: KernelArray[]) => void,
  options: RunJsKernelOptions = {},
): TensorInfo[] {
  const zeroed = options.zeroed ?? true;
  inputs.forEach(checkDtype);
  outputs.forEach(checkDtype);
  if (isWasm(backend)) return runWasm(backend, inputs, outputs, body, zeroed);
  const outs = outputs.map((o) => newArray(o.dtype, size(o.shape)));
  if (isCpu(backend)) {
    body(inputs.map((t) => cpuValues(backend, t)), outs);
    return outputs.map((o, i) => backend.makeTensorInfo(o.shape.slice(), o.dtype, outs[i]!));
  }
  const sync = backend as Partial<SyncBackendLike>;
  if (typeof sync.readSync !== 'function' || typeof sync.write !== 'function' || 'device' in backend) {
    throw new Error('runJsKernel: this backend keeps its tensors off the CPU (webgpu?); register a kernel of its own there');
  }
  const ins = inputs.map((t) => sync.readSync!(t.dataId) as KernelArray);
  body(ins, outs);
  return outputs.map((o, i) => ({ dataId: sync.write!(outs[i]!, o.shape.slice(), o.dtype), shape: o.shape.slice(), dtype: o.dtype }));
}

/**
 * Whether {@link runJsKernel} works on a backend without copying: `wasm` and
 * `cpu` (tensors in CPU memory). Use it to pick a JavaScript kernel over a
 * tensor-op fallback.
 *
 * @param backendName - A tfjs backend name, e.g. `tf.getBackend()`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { isJsKernelBackend } from '@fovea/core';
 * isJsKernelBackend(tf.getBackend()); // true on 'wasm' and 'cpu', false on 'webgpu'
 * ```
 * @category Backends
 */
export function isJsKernelBackend(backendName: string): boolean {
  return backendName === 'wasm' || backendName === 'cpu';
}
