import { util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeWasmView, wasmView } from './backend_io.js';

/**
 * tfjs-backend-wasm 4.22 caches the XNNPACK operator of a matmul (its packed
 * right-hand matrix) by the right operand's tensor id, and a reshape keeps
 * that id: multiplying by `reshape(w, [1, 4])` and later by
 * `reshape(w, [4, 1])` reuses the operator packed for the first shape, which
 * reads out of bounds and aborts the process (or returns wrong numbers).
 * Here the first `K x N` a tensor's data is multiplied as keeps the cache;
 * any other shape goes through a fresh alias of the same memory (a new id,
 * so a new operator, released right after).
 */
const firstUse = new WeakMap<object, string>();

/** `b` itself, or an alias of its memory under a fresh id when XNNPACK has an operator for it with another shape. */
export function xnnRightOperand(backend: object, b: TensorInfo, key: string): { t: TensorInfo; release(): void } {
  const seen = firstUse.get(b.dataId);
  if (seen === undefined) firstUse.set(b.dataId, key);
  if (seen === undefined || seen === key) return { t: b, release: () => undefined };
  const alias = wasmView(backend, b, 0, b.shape.slice());
  return { t: alias, release: () => disposeWasmView(backend, alias) };
}

/** The cache key of a right operand `[...batch, K, N]` (or `[..., N, K]` transposed). */
export function xnnKey(b: TensorInfo, transposeB: boolean): string {
  const r = b.shape.length;
  const k = transposeB ? b.shape[r - 1]! : b.shape[r - 2]!;
  const n = transposeB ? b.shape[r - 2]! : b.shape[r - 1]!;
  return `${util.sizeFromShape(b.shape.slice(0, -2))}:${k}x${n}:${transposeB}`;
}

/** tfjs-backend-wasm's BatchMatMul / _FusedMatMul with the stale-operator guard above. */
export function withXnnCacheGuard(original: KernelFunc | undefined): KernelFunc | undefined {
  if (original === undefined) return undefined;
  return (args) => {
    const { b } = args.inputs as { b: TensorInfo };
    const { t, release } = xnnRightOperand(args.backend, b, xnnKey(b, !!(args.attrs as { transposeB?: boolean } | undefined)?.transposeB));
    try {
      return original(t === b ? args : { ...args, inputs: { ...args.inputs, b: t } });
    } finally {
      release();
    }
  };
}
