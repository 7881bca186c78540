/** Private: pooling geometry shared by the max and average pools (PyTorch's rules). */
import { FoveaError, formatShape } from '@fovea/core';
import { pair, type Pair } from './args.js';

/** Resolved 2-D pooling geometry. */
export interface PoolGeometry {
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  out: [number, number];
  /** Extra bottom/right padding so the last (ceil-mode) window fits. */
  extra: [number, number];
}

/** PyTorch's `pooling_output_shape` for one dim. */
export function poolOut(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const num = n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0);
  let o = Math.floor(num / s) + 1;
  if (ceil && (o - 1) * s >= n + p) o -= 1;
  return o;
}

/** Validates and resolves kernel/stride/padding/dilation/ceil for an `[N, H, W, C]` input. */
export function resolvePool(
  op: string,
  shape: readonly number[],
  opts: { kernelSize: Pair; stride?: Pair | null; padding?: Pair; dilation?: Pair; ceilMode?: boolean },
): PoolGeometry {
  const k = pair(op, 'options.kernelSize', opts.kernelSize, { integer: true, min: 1 });
  const s = opts.stride === undefined || opts.stride === null ? k : pair(op, 'options.stride', opts.stride, { integer: true, min: 1 });
  const p = pair(op, 'options.padding', opts.padding ?? 0, { integer: true, min: 0 });
  const d = pair(op, 'options.dilation', opts.dilation ?? 1, { integer: true, min: 1 });
  const ceil = opts.ceilMode ?? false;
  if (typeof ceil !== 'boolean') throw new FoveaError({ op, arg: 'options.ceilMode', expected: 'a boolean', got: typeof ceil });
  for (let i = 0; i < 2; i++) {
    const eff = d[i]! * (k[i]! - 1) + 1;
    if (p[i]! * 2 > eff) {
      throw new FoveaError({ op, arg: 'options.padding', expected: `at most half the effective kernel size (${formatShape(k)})`, got: formatShape(p) });
    }
  }
  const [, h, w] = shape as [number, number, number, number];
  const out: [number, number] = [poolOut(h, k[0], s[0], p[0], d[0], ceil), poolOut(w, k[1], s[1], p[1], d[1], ceil)];
  if (!(out[0] >= 1 && out[1] >= 1)) {
    throw new FoveaError({
      op,
      arg: 'x',
      expected: `a padded size of at least the kernel ${formatShape(k)}`,
      got: `shape ${formatShape(shape)} with padding ${formatShape(p)} (output ${formatShape(out)})`,
    });
  }
  const need = (i: 0 | 1, n: number) => Math.max(0, (out[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - (n + 2 * p[i]));
  return { k, s, p, d, out, extra: [need(0, h), need(1, w)] };
}
