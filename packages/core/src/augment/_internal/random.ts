import { FoveaError } from '../../errors/fovea-error.js';
import type { Generator } from '../../random/generator.js';
import { checkNumber, describeValue } from '../../validate/values.js';

/** A uniform sample in `[lo, hi]` (exactly `lo` when the range is empty). */
export function uniformIn(g: Generator, lo: number, hi: number): number {
  return lo + (hi - lo) * g.random();
}

/**
 * Parses a symmetric-or-explicit range option as torchvision does: a number
 * `v` means `[-v, v]` (or `[center - v, center + v]` clipped at `min`), a pair
 * is taken as is.
 */
export function parseRange(
  op: string,
  arg: string,
  v: unknown,
  opts: { center?: number; min?: number; max?: number } = {},
): [number, number] {
  const center = opts.center ?? 0;
  let lo: number;
  let hi: number;
  if (typeof v === 'number') {
    checkNumber(op, arg, v, { min: 0 });
    lo = center - v;
    hi = center + v;
    if (opts.min !== undefined) lo = Math.max(opts.min, lo);
  } else if (Array.isArray(v) && v.length === 2) {
    lo = checkNumber(op, `${arg}[0]`, v[0]);
    hi = checkNumber(op, `${arg}[1]`, v[1]);
    if (lo > hi) throw new FoveaError({ op, arg, expected: 'a range [lo, hi] with lo <= hi', got: describeValue(v) });
  } else {
    throw new FoveaError({ op, arg, expected: 'a number or a range [lo, hi]', got: describeValue(v) });
  }
  if (opts.min !== undefined && lo < opts.min) throw new FoveaError({ op, arg, expected: `a range within [${opts.min}, ${opts.max ?? '∞'}]`, got: describeValue(v) });
  if (opts.max !== undefined && hi > opts.max) throw new FoveaError({ op, arg, expected: `a range within [${opts.min ?? '-∞'}, ${opts.max}]`, got: describeValue(v) });
  return [lo, hi];
}

/** Checks a probability option. */
export function checkProbability(op: string, arg: string, p: unknown): number {
  return checkNumber(op, arg, p, { min: 0, max: 1 });
}

/** A Gamma(shape, 1) sample (Marsaglia–Tsang; shape < 1 through the boost `Gamma(a + 1)·U^(1/a)`). */
function gamma(g: Generator, shape: number): number {
  if (shape < 1) {
    let u = g.random();
    while (u === 0) u = g.random();
    return gamma(g, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = g.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = g.random();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) sample, as `X / (X + Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`. */
export function beta(g: Generator, a: number, b: number): number {
  const x = gamma(g, a);
  const y = gamma(g, b);
  return x + y === 0 ? 0.5 : x / (x + y);
}
