import { checkNumber, FoveaError, formatShape } from '@fovea/core';
import { F64Buffer, readInput, type MetricInput } from '../_internal/input.js';
import type { Metric } from '../metric.js';

/** Options for {@link inceptionScore} and {@link InceptionScore}. @category Generative */
export interface InceptionScoreOptions {
  /** Number of consecutive chunks the rows are split into. Default 10 (as in the original code). */
  splits?: number;
}

/** Result of {@link inceptionScore}. @category Generative */
export interface InceptionScoreResult {
  /** Mean of the per-split scores. */
  mean: number;
  /** Population standard deviation (ddof 0) of the per-split scores. */
  std: number;
}

function checkProbs(op: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    if (!(data[i]! >= 0 && data[i]! <= 1)) {
      throw new FoveaError({ op, arg: 'probs', expected: 'probabilities in [0, 1] (apply softmax to logits first)', got: `${data[i]} at flat index ${i}` });
    }
  }
}

function score(probs: ArrayLike<number>, n: number, c: number, splits: number, op: string): InceptionScoreResult {
  if (n < splits) {
    throw new FoveaError({ op, arg: 'options.splits', expected: `at most the number of samples (${n})`, got: String(splits) });
  }
  const size = Math.floor(n / splits);
  const scores: number[] = [];
  const py = new Float64Array(c);
  for (let k = 0; k < splits; k++) {
    py.fill(0);
    const r0 = k * size;
    for (let i = r0; i < r0 + size; i++) for (let j = 0; j < c; j++) py[j]! += probs[i * c + j]!;
    for (let j = 0; j < c; j++) py[j] = Math.log(py[j]! / size);
    let kl = 0;
    for (let i = r0; i < r0 + size; i++) {
      let row = 0;
      for (let j = 0; j < c; j++) {
        const p = probs[i * c + j]!;
        // p·(log p − log p_y), with 0·log 0 = 0
        if (p > 0) row += p * (Math.log(p) - py[j]!);
      }
      kl += row;
    }
    scores.push(Math.exp(kl / size));
  }
  const mean = scores.reduce((a, b) => a + b, 0) / splits;
  const std = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / splits);
  return { mean, std };
}

async function readProbs(op: string, probs: MetricInput, c?: number): Promise<{ data: ArrayLike<number>; n: number; c: number }> {
  const p = await readInput(op, 'probs', probs, { rank: 2 });
  const [n, cc] = p.shape as [number, number];
  if (c !== undefined && cc !== c) throw new FoveaError({ op, arg: 'probs', expected: `shape [N, ${c}] (as the first batch)`, got: `shape ${formatShape(p.shape)}` });
  checkProbs(op, p.data);
  return { data: p.data, n, c: cc };
}

/**
 * Inception Score from class probabilities (Salimans et al. 2016, as the
 * original code computes it): split the rows into `splits` consecutive
 * chunks of `⌊N / splits⌋` (a remainder is dropped); per chunk
 * `exp(mean_x KL(p(y|x) ‖ p(y)))` with `p(y)` the chunk's mean row; report
 * the mean and population std over chunks.
 *
 * @param probs `[N, C]` class probabilities (rows sum to 1) of generated samples.
 * @param opts see {@link InceptionScoreOptions}.
 * @returns `{mean, std}`.
 * @example
 * ```ts
 * import { inceptionScore } from '@fovea/metrics';
 * // confident and diverse: every sample sure of a different class
 * await inceptionScore([[1, 0], [0, 1]], { splits: 1 }); // { mean: 2, std: 0 }
 * ```
 * @category Generative
 */
export async function inceptionScore(probs: MetricInput, opts: InceptionScoreOptions = {}): Promise<InceptionScoreResult> {
  const op = 'inceptionScore';
  const splits = checkNumber(op, 'options.splits', opts.splits ?? 10, { integer: true, min: 1 });
  const p = await readProbs(op, probs);
  return score(p.data, p.n, p.c, splits, op);
}

/**
 * Streaming {@link inceptionScore}: keeps the probability rows (the splits
 * need every row), in float64.
 *
 * @example
 * ```ts
 * import { InceptionScore } from '@fovea/metrics';
 * const is = new InceptionScore({ splits: 1 });
 * await is.update([[1, 0]]);
 * await is.update([[0, 1]]);
 * is.compute().mean; // 2
 * ```
 * @category Generative
 */
export class InceptionScore implements Metric<[MetricInput], InceptionScoreResult> {
  /** Number of splits. */
  readonly splits: number;
  private readonly rows = new F64Buffer();
  private c: number | undefined;

  constructor(opts: InceptionScoreOptions = {}) {
    this.splits = checkNumber('InceptionScore', 'options.splits', opts.splits ?? 10, { integer: true, min: 1 });
  }

  /**
   * Adds a batch of probabilities.
   * @param probs `[B, C]` class probabilities.
   */
  async update(probs: MetricInput): Promise<void> {
    const p = await readProbs('InceptionScore.update', probs, this.c);
    this.c = p.c;
    this.rows.append(p.data);
  }

  /** The score over every row seen. */
  compute(): InceptionScoreResult {
    const c = this.c ?? 1;
    return score(this.rows.view(), this.rows.length / c, c, this.splits, 'InceptionScore.compute');
  }

  /** Forgets every row. */
  reset(): void {
    this.rows.clear();
    this.c = undefined;
  }
}
