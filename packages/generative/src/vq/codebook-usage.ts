import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkTensor } from '@fovea/core';
import { checkSize } from '../_internal/args.js';

/** Codebook usage statistics, from {@link codebookUsage}. @category VQ-VAE */
export interface CodebookUsage {
  /** How often each of the `K` codewords was chosen. */
  counts: Int32Array;
  /** Number of codewords chosen at least once. */
  used: number;
  /** `used / K`. */
  fraction: number;
  /** `exp(H)` of the code distribution, `H = −Σ p log p`: the effective number of codes (1 … K). */
  perplexity: number;
}

/**
 * How a VQ-VAE uses its codebook: counts per codeword, how many are used and
 * the perplexity of the code distribution (a collapsed codebook has low
 * perplexity and few used codes). Reads the indices back asynchronously.
 *
 * @param indices int32 `[...]` codes from {@link vectorQuantize}, in `[0, K)`.
 * @param numEmbeddings `K`.
 * @returns counts, used, fraction and perplexity.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { codebookUsage } from '@fovea/generative';
 * const u = await codebookUsage(tf.tensor1d([0, 0, 1, 3], 'int32'), 4);
 * u.used;       // 3
 * u.perplexity; // 2.828… = exp(1.5 ln 2)
 * ```
 * @category VQ-VAE
 */
export async function codebookUsage(indices: tf.Tensor, numEmbeddings: number): Promise<CodebookUsage> {
  const op = 'codebookUsage';
  checkTensor(op, 'indices', indices, { dtype: 'int32' });
  const k = checkSize(op, 'numEmbeddings', numEmbeddings);
  const data = (await indices.data()) as Int32Array;
  const counts = new Int32Array(k);
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (!(c >= 0 && c < k)) throw new FoveaError({ op, arg: 'indices', expected: `codes in [0, ${k})`, got: `${c} at index ${i}` });
    counts[c] += 1;
  }
  let used = 0;
  let h = 0;
  for (const c of counts) {
    if (c === 0) continue;
    used += 1;
    const p = c / data.length;
    h -= p * Math.log(p);
  }
  return { counts, used, fraction: used / k, perplexity: data.length ? Math.exp(h) : 0 };
}
