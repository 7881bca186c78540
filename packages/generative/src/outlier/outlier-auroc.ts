import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkTensor, describeValue } from '@fovea/core';

/** Scores as a float32 tensor `[N]` or a plain array. @category Outliers */
export type Scores = tf.Tensor | ArrayLike<number>;

async function read(op: string, arg: string, s: Scores): Promise<Float64Array> {
  let v: ArrayLike<number>;
  if (s instanceof tf.Tensor) {
    checkTensor(op, arg, s, { rank: 1, dtype: 'float32' });
    v = (await s.data()) as Float32Array;
  } else if (s != null && typeof (s as ArrayLike<number>).length === 'number') {
    v = s;
  } else {
    throw new FoveaError({ op, arg, expected: 'a float32 [N] tensor or an array of numbers', got: describeValue(s) });
  }
  const out = Float64Array.from(v);
  const bad = out.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new FoveaError({ op, arg, expected: 'finite scores', got: `${describeValue(out[bad])} at index ${bad}` });
  if (out.length === 0) throw new FoveaError({ op, arg, expected: 'at least one score', got: 'none' });
  return out;
}

/**
 * How well a likelihood-based score separates outliers from normal data: the
 * area under the ROC curve for "score > threshold means outlier", which is
 * the probability that a random outlier scores higher than a random inlier
 * (ties count ½; the Mann–Whitney U statistic over `n_in · n_out`). 1 is a
 * perfect separation, 0.5 chance. Use a model's negative log-likelihood,
 * bits/dim or negative ELBO as the score: a generative model that assigns low
 * likelihood to unreasonable inputs rejects them.
 *
 * @param inlierScores float32 `[N]` (or numbers) scores of normal data.
 * @param outlierScores float32 `[M]` (or numbers) scores of outliers.
 * @returns the AUROC in `[0, 1]`.
 * @example
 * ```ts
 * import { outlierAuroc } from '@fovea/generative';
 * await outlierAuroc([0.1, 0.2, 0.3], [0.25, 0.9]); // 0.8333: 5 of 6 pairs ordered
 * ```
 * @category Outliers
 */
export async function outlierAuroc(inlierScores: Scores, outlierScores: Scores): Promise<number> {
  const op = 'outlierAuroc';
  const a = await read(op, 'inlierScores', inlierScores);
  const b = await read(op, 'outlierScores', outlierScores);
  // rank-sum with average ranks for ties
  const all = [...Array.from(a, (v) => [v, 0] as const), ...Array.from(b, (v) => [v, 1] as const)].sort((p, q) => p[0] - q[0]);
  let rankSumOut = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]![0] === all[i]![0]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k]![1] === 1) rankSumOut += avgRank;
    i = j + 1;
  }
  const u = rankSumOut - (b.length * (b.length + 1)) / 2;
  return u / (a.length * b.length);
}
