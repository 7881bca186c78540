import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, defaultGenerator, FoveaError, type Generator } from '@fovea/core';
import { slicerFor } from '../_internal/time-slice.js';
import { readImage } from './_image.js';
import { felzenszwalbLabels } from './felzenszwalb.js';
import { groupRegions, type SimilarityWeights } from './_hierarchy.js';

export type { SimilarityWeights } from './_hierarchy.js';

/** Options for {@link selectiveSearch}. @category Region proposals */
export interface SelectiveSearchOptions {
  /** Felzenszwalb scales `k` of the starting over-segmentations (one hierarchy each); default `[100, 300]`. */
  scales?: number[];
  /** Gaussian smoothing of the over-segmentation; default 0.8. */
  sigma?: number;
  /** Smallest initial segment (pixels); default 20. */
  minSize?: number;
  /** Similarity strategies (one hierarchy per scale and strategy); default colour+size+fill and size+fill. */
  strategies?: SimilarityWeights[];
  /** Proposals narrower or shorter than this (pixels) are dropped; default 0. */
  minBoxSize?: number;
  /** Keep at most this many proposals (the best-ranked); default all. */
  topK?: number;
  /** The image's white value; default 255. */
  maxValue?: number;
  /** Random stream of the paper's ranking (hierarchy level × a uniform draw); default core's {@link defaultGenerator}. */
  generator?: Generator;
  /** Longest stretch of work between two yields to the event loop, ms; default 12. */
  sliceMs?: number;
}

const DEFAULT_STRATEGIES: SimilarityWeights[] = [
  { colour: 1, size: 1, fill: 1 },
  { colour: 0, size: 1, fill: 1 },
];

function checkStrategies(op: string, v: unknown): SimilarityWeights[] {
  if (!Array.isArray(v) || v.length === 0) {
    throw new FoveaError({ op, arg: 'options.strategies', expected: 'a non-empty array of { colour, size, fill } weights', got: String(v) });
  }
  return v.map((s: Partial<SimilarityWeights>, i) => ({
    colour: checkNumber(op, `options.strategies[${i}].colour`, s.colour ?? 0, { min: 0 }),
    size: checkNumber(op, `options.strategies[${i}].size`, s.size ?? 0, { min: 0 }),
    fill: checkNumber(op, `options.strategies[${i}].fill`, s.fill ?? 0, { min: 0 }),
  }));
}

/**
 * Selective search region proposals (Uijlings et al., IJCV 2013), the
 * R-CNN proposal method: start from Felzenszwalb over-segmentations (one per
 * `scales` entry), greedily merge the most similar pair of adjacent regions
 * (weighted colour-histogram intersection, small-size and fill/compactness
 * similarity, one hierarchy per strategy) until one region is left, and
 * propose the box of every region that ever existed. Proposals are ranked
 * as in the paper — by creation order from the top of each hierarchy, times
 * a uniform random number from the seeded `generator`, so the hierarchies
 * interleave — and duplicates are removed. Async (reads the image back and
 * yields while it works).
 *
 * @param image `[H, W, C]` (or `[H, W]`) image, values in `[0, maxValue]`.
 * @param opts scales, smoothing, strategies, filters, ranking stream.
 * @returns `[R, 4]` float32 proposal boxes as `[x1, y1, x2, y2]` (pixel edges: `x2` is one past the last column), best first.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Generator } from '@fovea/core';
 * import { selectiveSearch } from '@fovea/detection';
 * const img = tf.pad(tf.fill([20, 30, 3], 220), [[10, 34], [20, 14], [0, 0]], 30); // a light box on a dark 64×64 image
 * const boxes = await selectiveSearch(img, { generator: new Generator(0) });
 * // among the rows of `boxes`: [20, 10, 50, 30], the light box
 * ```
 * @category Region proposals
 */
export async function selectiveSearch(image: tf.Tensor, opts: SelectiveSearchOptions = {}): Promise<tf.Tensor2D> {
  const op = 'selectiveSearch';
  const scales = (opts.scales ?? [100, 300]).map((s, i) => checkNumber(op, `options.scales[${i}]`, s, { gt: 0 }));
  if (scales.length === 0) throw new FoveaError({ op, arg: 'options.scales', expected: 'at least one scale', got: 'an empty array' });
  const sigma = checkNumber(op, 'options.sigma', opts.sigma ?? 0.8, { min: 0 });
  const minSize = checkNumber(op, 'options.minSize', opts.minSize ?? 20, { integer: true, min: 0 });
  const strategies = checkStrategies(op, opts.strategies ?? DEFAULT_STRATEGIES);
  const minBox = checkNumber(op, 'options.minBoxSize', opts.minBoxSize ?? 0, { min: 0 });
  const topK = opts.topK === undefined ? Infinity : checkNumber(op, 'options.topK', opts.topK, { integer: true, min: 0 });
  const g = opts.generator ?? defaultGenerator();
  const slicer = slicerFor(op, opts.sliceMs);
  const px = await readImage(op, image, opts.maxValue);

  const ranked: { rank: number; box: number[] }[] = [];
  for (const scale of scales) {
    const { labels, count } = await felzenszwalbLabels(px, scale, sigma, minSize, slicer);
    for (const wts of strategies) {
      const hier = await groupRegions(px, labels, count, wts, slicer);
      for (let t = 0; t < hier.count; t++) {
        const box = Array.from(hier.boxes.subarray(4 * t, 4 * t + 4));
        if (box[2]! - box[0]! < minBox || box[3]! - box[1]! < minBox) continue;
        // the paper's ranking: level 1 = the last region created (the whole image)
        ranked.push({ rank: (hier.count - t) * g.random(), box });
      }
    }
  }
  ranked.sort((p, q) => p.rank - q.rank);
  const seen = new Set<string>();
  const out: number[] = [];
  for (const { box } of ranked) {
    if (out.length / 4 >= topK) break;
    const key = box.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(...box);
  }
  return tf.tensor2d(out, [out.length / 4, 4], 'float32');
}
