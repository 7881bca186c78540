import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, callRegistered } from './registry.js';

/**
 * Einsum of one or two operands as transposes, reshapes and one batched
 * matmul, on every backend. tfjs 4.22's einsum (and the copy of its
 * algorithm Fovea runs on wasm) returns wrongly shaped results whenever an
 * index appears in one operand only and not in the output (`ijk,k->j` gives
 * `[1, 4]`, `ij,jk->k` gives `[4, 3]`, `ij,k->` a vector). Here such indices
 * are summed away first; then batch indices (in both operands and the
 * output), contracted indices (both operands) and free indices (one operand
 * and the output) make a `[B, M, K] x [B, K, N]` matmul. Equations this does
 * not cover (repeated indices in one operand, three operands, ellipses,
 * non-float dtypes) go to the backend's kernel.
 */

interface Parsed {
  subs: string[];
  out: string;
}

function parse(equation: string, n: number): Parsed | null {
  const eq = equation.replace(/\s/g, '');
  if (!eq.includes('->') || eq.includes('.')) return null;
  const [lhs, out = ''] = eq.split('->');
  const subs = lhs!.split(',');
  if (subs.length !== n || n < 1 || n > 2) return null;
  for (const s of [...subs, out]) if (new Set(s).size !== s.length) return null;
  if (![...out].every((l) => subs.some((s) => s.includes(l)))) return null;
  return { subs, out };
}

const prod = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);

export function withCorrectEinsum(backendName: string, inner: KernelFunc): KernelFunc {
  return (args) => {
    const tensors = Object.values(args.inputs) as TensorInfo[];
    const p = parse(String((args.attrs as { equation?: unknown } | undefined)?.equation ?? ''), tensors.length);
    if (p === null || tensors.some((t) => t.dtype !== 'float32')) return inner(args);
    const be = args.backend;
    const temps: TensorInfo[] = [];
    const base = (name: string, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>): TensorInfo => {
      const t = callKernel(name, backendName, be, inputs, attrs as never);
      temps.push(t);
      return t;
    };
    const size: Record<string, number> = {};
    tensors.forEach((t, i) => [...p.subs[i]!].forEach((l, k) => (size[l] = t.shape[k]!)));
    /** `x` (letters `from`) rearranged to the letters `to` (a permutation of them). */
    const arrange = (x: TensorInfo, from: string, to: string): TensorInfo => {
      const perm = [...to].map((l) => from.indexOf(l));
      return perm.every((v, i) => v === i) ? x : base('Transpose', { x }, { perm });
    };
    // 1. indices of one operand only, not in the output: summed away first
    const ops = tensors.map((t, i) => {
      const s = p.subs[i]!;
      const others = p.subs.filter((_, j) => j !== i).join('') + p.out;
      const summed = [...s].map((l, k) => (others.includes(l) ? -1 : k)).filter((k) => k >= 0);
      if (summed.length === 0) return { t, s };
      const r = callRegistered('Sum', backendName, be, { x: t }, { axis: summed, keepDims: false } as never);
      temps.push(r);
      return { t: r, s: [...s].filter((l) => others.includes(l)).join('') };
    });
    let result: TensorInfo;
    if (ops.length === 1) {
      const y = arrange(ops[0]!.t, ops[0]!.s, p.out);
      result = y === tensors[0] ? callKernel('Identity', backendName, be, { x: y }) : y;
    } else {
      const [a, b] = ops as [{ t: TensorInfo; s: string }, { t: TensorInfo; s: string }];
      const batch = [...p.out].filter((l) => a.s.includes(l) && b.s.includes(l)).join('');
      const contr = [...a.s].filter((l) => b.s.includes(l) && !p.out.includes(l)).join('');
      const aFree = [...p.out].filter((l) => a.s.includes(l) && !b.s.includes(l)).join('');
      const bFree = [...p.out].filter((l) => b.s.includes(l) && !a.s.includes(l)).join('');
      const sz = (ls: string): number[] => [...ls].map((l) => size[l]!);
      const B = prod(sz(batch)), M = prod(sz(aFree)), K = prod(sz(contr)), N = prod(sz(bFree));
      const a3 = base('Reshape', { x: arrange(a.t, a.s, batch + aFree + contr) }, { shape: [B, M, K] }); // [B, M, K]
      const b3 = base('Reshape', { x: arrange(b.t, b.s, batch + contr + bFree) }, { shape: [B, K, N] }); // [B, K, N]
      const y = callRegistered('BatchMatMul', backendName, be, { a: a3, b: b3 }, { transposeA: false, transposeB: false } as never); // [B, M, N]
      temps.push(y);
      const full = base('Reshape', { x: y }, { shape: sz(batch + aFree + bFree) }); // [...batch, ...aFree, ...bFree]
      result = arrange(full, batch + aFree + bFree, p.out);
      if (result === full) temps.pop();
    }
    for (const t of temps) if (t !== result) (be as { disposeData(id: object): boolean }).disposeData(t.dataId);
    return result;
  };
}
