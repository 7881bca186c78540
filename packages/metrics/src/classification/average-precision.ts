import { checkOneOf, FoveaError, formatShape } from '@fovea/core';
import { apFromCurve } from '../_internal/binary-curve.js';
import { checkLabelRange, F64Buffer, readInput, type MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';

/** Options for {@link averagePrecision} with `[N, C]` scores. @category Classification */
export interface AveragePrecisionOptions {
  /** `macro` (default): mean of the one-vs-rest APs of all `C` classes; `none`: the `[C]` APs. */
  average?: 'macro' | 'none';
}

interface Read {
  s: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Number of classes, or 0 for binary input. */
  c: number;
}

async function readAp(op: string, scores: MetricInput, labels: MetricInput): Promise<Read> {
  const s = await readInput(op, 'scores', scores, { rank: [1, 2] });
  const binary = s.shape.length === 1;
  const y = await readInput(op, 'labels', labels, { rank: 1, kind: binary ? 'bool' : 'int' });
  if (y.shape[0] !== s.shape[0]) {
    throw new FoveaError({ op, arg: 'labels', expected: `length ${s.shape[0]} (the rows of scores)`, got: `shape ${formatShape(y.shape)}` });
  }
  const c = binary ? 0 : s.shape[1]!;
  if (!binary) checkLabelRange(op, 'labels', y, c);
  return { s: s.data, y: y.data, c };
}

/** One-vs-rest APs of `[N, C]` scores against `[N]` labels. */
function perClassAp(s: ArrayLike<number>, y: ArrayLike<number>, c: number): number[] {
  const n = y.length;
  const col = new Float64Array(n);
  const pos = new Uint8Array(n);
  const out: number[] = [];
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < n; i++) {
      col[i] = s[i * c + k]!;
      pos[i] = y[i] === k ? 1 : 0;
    }
    out.push(apFromCurve(col, pos));
  }
  return out;
}

function finish(r: Read, average: 'macro' | 'none'): number | number[] {
  if (r.y.length === 0) return r.c === 0 || average === 'macro' ? NaN : new Array<number>(r.c).fill(NaN);
  if (r.c === 0) return apFromCurve(r.s, r.y);
  const aps = perClassAp(r.s, r.y, r.c);
  return average === 'none' ? aps : aps.reduce((a, b) => a + b, 0) / aps.length;
}

/**
 * Average precision, the area under the precision–recall step curve
 * (scikit-learn's `average_precision_score`): `AP = Σ_k (R_k − R_{k−1})·P_k`
 * over the distinct scores as thresholds in decreasing order, no
 * interpolation; tied scores form one threshold. A class without positives
 * has AP 0 (scikit-learn 1.2, which warns).
 *
 * With `[N, C]` scores and `[N]` integer labels, each class is scored one
 * versus the rest and the APs are averaged (`macro`) or returned (`none`).
 *
 * @param scores `[N]` binary scores, or `[N, C]` class scores.
 * @param labels `[N]` booleans (binary), or `[N]` labels in `[0, C)`.
 * @param opts see {@link AveragePrecisionOptions}.
 * @returns the AP (`NaN` for `N = 0`), or `[C]` APs with `average: 'none'`.
 * @example
 * ```ts
 * import { averagePrecision } from '@fovea/metrics';
 * await averagePrecision([0.1, 0.4, 0.35, 0.8], [false, false, true, true]); // 0.8333…
 * await averagePrecision([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4]], [0, 1, 1], { average: 'none' }); // [1, 1]
 * ```
 * @category Classification
 */
export async function averagePrecision(
  scores: MetricInput,
  labels: MetricInput,
  opts: AveragePrecisionOptions & { average: 'none' },
): Promise<number[]>;
export async function averagePrecision(
  scores: MetricInput,
  labels: MetricInput,
  opts?: AveragePrecisionOptions & { average?: 'macro' },
): Promise<number>;
export async function averagePrecision(
  scores: MetricInput,
  labels: MetricInput,
  opts: AveragePrecisionOptions = {},
): Promise<number | number[]> {
  const op = 'averagePrecision';
  const average = checkOneOf(op, 'options.average', opts.average ?? 'macro', ['macro', 'none'] as const);
  const r = await readAp(op, scores, labels);
  if (average === 'none' && r.c === 0) {
    throw new FoveaError({ op, arg: 'options.average', expected: "'macro' for [N] binary scores ('none' needs [N, C])", got: "'none'" });
  }
  return finish(r, average);
}

/**
 * Streaming {@link averagePrecision}: keeps every score and label, so the
 * result is exact. Binary (`[B]` scores) or multi-class (`[B, C]` scores),
 * fixed by the first batch.
 *
 * @example
 * ```ts
 * import { AveragePrecision } from '@fovea/metrics';
 * const ap = new AveragePrecision();
 * await ap.update([0.1, 0.4], [false, false]);
 * await ap.update([0.35, 0.8], [true, true]);
 * ap.compute(); // 0.8333…
 * ```
 * @category Classification
 */
export class AveragePrecision implements Metric<[MetricInput, MetricInput], number | number[]> {
  /** How multi-class APs are combined. */
  readonly average: 'macro' | 'none';
  private readonly s = new F64Buffer();
  private readonly y = new F64Buffer();
  private c = -1;

  constructor(opts: AveragePrecisionOptions = {}) {
    this.average = checkOneOf('AveragePrecision', 'options.average', opts.average ?? 'macro', ['macro', 'none'] as const);
  }

  /**
   * Adds a batch.
   * @param scores `[B]` or `[B, C]` scores.
   * @param labels `[B]` binary or integer labels.
   */
  async update(scores: MetricInput, labels: MetricInput): Promise<void> {
    const op = 'AveragePrecision.update';
    const r = await readAp(op, scores, labels);
    if (this.c >= 0 && r.c !== this.c) {
      const want = this.c === 0 ? '[B] binary scores' : `[B, ${this.c}] scores`;
      throw new FoveaError({ op, arg: 'scores', expected: `${want}, like the first batch`, got: r.c === 0 ? '[B] scores' : `[B, ${r.c}] scores` });
    }
    this.c = r.c;
    this.s.append(r.s);
    this.y.append(r.y);
  }

  /** AP over every sample seen (`NaN` before any). */
  compute(): number | number[] {
    const avg = this.c === 0 ? 'macro' : this.average;
    return finish({ s: this.s.view(), y: this.y.view(), c: Math.max(this.c, 0) }, avg);
  }

  /** Forgets every sample. */
  reset(): void {
    this.s.clear();
    this.y.clear();
    this.c = -1;
  }
}
