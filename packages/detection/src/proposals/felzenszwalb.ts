import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@fovea/core';
import { slicerFor, type TimeSlicer } from '../_internal/time-slice.js';
import { readImage, type Pixels } from './_image.js';

/** Options for {@link felzenszwalb}. @category Region proposals */
export interface FelzenszwalbOptions {
  /** Observation level `k` (in 0–255 intensity units, as the reference code): higher gives fewer, larger segments; default 1. */
  scale?: number;
  /** Standard deviation of the Gaussian smoothing before segmentation (pixels); default 0.8. */
  sigma?: number;
  /** Segments smaller than this many pixels are merged into a neighbour afterwards; default 20. */
  minSize?: number;
  /** The image's white value (255 for 8-bit images, 1 for images in `[0, 1]`); default 255. */
  maxValue?: number;
  /** Longest stretch of work between two yields to the event loop, ms; default 12. */
  sliceMs?: number;
}

/** scipy's `mode='reflect'`: `(d c b a | a b c d | d c b a)`. */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const p = 2 * n;
  let r = ((i % p) + p) % p;
  if (r >= n) r = p - 1 - r;
  return r;
}

/** numpy's pairwise summation order for up to 128 values (so the kernel normalises bit for bit like scipy's). */
function numpySum(a: Float64Array): number {
  const n = a.length;
  let res = 0;
  if (n < 8) {
    for (let i = 0; i < n; i++) res += a[i]!;
    return res;
  }
  const r = Array.from(a.subarray(0, 8));
  let i = 8;
  for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = r[j]! + a[i + j]!;
  res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
  for (; i < n; i++) res += a[i]!;
  return res;
}

/** `scipy.ndimage.gaussian_filter1d` (truncate 4, reflect) along `axis` (0 = rows, 1 = columns) of `[H, W, C]`. */
function gaussian1d(src: Float64Array, h: number, w: number, c: number, sigma: number, axis: 0 | 1): Float64Array {
  const lw = Math.floor(4 * sigma + 0.5);
  const wts = new Float64Array(2 * lw + 1);
  for (let x = -lw; x <= lw; x++) wts[x + lw] = Math.exp((-0.5 / (sigma * sigma)) * (x * x));
  const sum = numpySum(wts);
  for (let t = 0; t < wts.length; t++) wts[t] = wts[t]! / sum;
  const out = new Float64Array(src.length);
  const n = axis === 0 ? h : w;
  const stride = axis === 0 ? w * c : c;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const pos = axis === 0 ? y : x;
      const base = (y * w + x) * c - pos * stride;
      for (let ch = 0; ch < c; ch++) {
        // scipy's symmetric correlation: centre first, then the pairs from the outside in
        let acc = src[base + pos * stride + ch]! * wts[lw]!;
        for (let d = lw; d >= 1; d--) {
          acc += (src[base + reflect(pos - d, n) * stride + ch]! + src[base + reflect(pos + d, n) * stride + ch]!) * wts[lw + d]!;
        }
        out[(y * w + x) * c + ch] = acc;
      }
    }
  }
  return out;
}

/** skimage's 8-connected edge list: right, down, down-right, up-right edges, each row-major. */
function edges8(img: Float64Array, h: number, w: number, c: number): { a: Int32Array; b: Int32Array; cost: Float64Array } {
  const m = h * (w - 1) + (h - 1) * w + 2 * (h - 1) * (w - 1);
  const a = new Int32Array(Math.max(m, 0));
  const b = new Int32Array(Math.max(m, 0));
  const cost = new Float64Array(Math.max(m, 0));
  let e = 0;
  const add = (p: number, q: number): void => {
    let s = 0;
    for (let ch = 0; ch < c; ch++) {
      const d = img[p * c + ch]! - img[q * c + ch]!;
      s += d * d;
    }
    a[e] = p;
    b[e] = q;
    cost[e++] = Math.sqrt(s);
  };
  for (let y = 0; y < h; y++) for (let x = 0; x + 1 < w; x++) add(y * w + x + 1, y * w + x);
  for (let y = 0; y + 1 < h; y++) for (let x = 0; x < w; x++) add((y + 1) * w + x, y * w + x);
  for (let y = 0; y + 1 < h; y++) for (let x = 0; x + 1 < w; x++) add((y + 1) * w + x + 1, y * w + x);
  for (let y = 0; y + 1 < h; y++) for (let x = 0; x + 1 < w; x++) add(y * w + x + 1, (y + 1) * w + x);
  return { a, b, cost };
}

/** Edge indices by increasing cost (costs are >= 0: IEEE bit order is numeric order); an LSD radix sort, stable. */
function sortEdges(cost: Float64Array): Int32Array {
  const n = cost.length;
  const words = new Uint32Array(cost.buffer, cost.byteOffset, 2 * n); // little-endian: [lo, hi] per key
  let idx = Int32Array.from({ length: n }, (_, i) => i);
  let tmp = new Int32Array(n);
  const count = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let t = 0; t < n; t++) count[((words[2 * idx[t]! + word]! >>> shift) & 0xffff) + 1]++;
    for (let d = 0; d < 65536; d++) count[d + 1] += count[d]!;
    for (let t = 0; t < n; t++) {
      const i = idx[t]!;
      tmp[count[(words[2 * i + word]! >>> shift) & 0xffff]!++] = i;
    }
    [idx, tmp] = [tmp, idx];
  }
  return idx;
}

function findRoot(forest: Int32Array, n: number): number {
  let r = n;
  while (forest[r]! !== r) r = forest[r]!;
  while (forest[n]! !== r) {
    const next = forest[n]!;
    forest[n] = r;
    n = next;
  }
  return r;
}

/**
 * The segmentation on normalised pixels: labels `0..S-1` numbered by first
 * appearance in raster order (as skimage's `np.unique` of the roots).
 */
export async function felzenszwalbLabels(
  px: Pixels,
  scale: number,
  sigma: number,
  minSize: number,
  slicer: TimeSlicer,
): Promise<{ labels: Int32Array; count: number }> {
  const { h, w, c } = px;
  let img = px.data;
  if (sigma > 1e-15) img = gaussian1d(gaussian1d(img, h, w, c, sigma, 0), h, w, c, sigma, 1);
  const { a, b, cost } = edges8(img, h, w, c);
  const order = sortEdges(cost);
  if (slicer.due()) await slicer.pause();
  const n = h * w;
  const forest = Int32Array.from({ length: n }, (_, i) => i);
  const size = new Int32Array(n).fill(1);
  const cint = new Float64Array(n);
  const k = scale / 255;
  const join = (r0: number, r1: number): number => {
    const root = Math.min(r0, r1);
    forest[r0] = root;
    forest[r1] = root;
    size[root] = size[r0]! + size[r1]!;
    return root;
  };
  for (let t = 0; t < order.length; t++) {
    const e = order[t]!;
    const r0 = findRoot(forest, a[e]!);
    const r1 = findRoot(forest, b[e]!);
    if (r0 === r1) continue;
    // skimage keeps the thresholds in single precision
    const t0 = Math.fround(cint[r0]! + k / size[r0]!);
    const t1 = Math.fround(cint[r1]! + k / size[r1]!);
    if (cost[e]! < Math.min(t0, t1)) cint[join(r0, r1)] = cost[e]!;
    if ((t & 65535) === 65535 && slicer.due()) await slicer.pause();
  }
  for (let t = 0; t < order.length; t++) {
    const e = order[t]!;
    const r0 = findRoot(forest, a[e]!);
    const r1 = findRoot(forest, b[e]!);
    if (r0 !== r1 && (size[r0]! < minSize || size[r1]! < minSize)) join(r0, r1);
  }
  const labels = new Int32Array(n);
  const id = new Int32Array(n).fill(-1);
  let count = 0;
  for (let p = 0; p < n; p++) {
    const r = findRoot(forest, p);
    if (id[r]! < 0) id[r] = count++;
    labels[p] = id[r]!;
  }
  return { labels, count };
}

/**
 * Felzenszwalb & Huttenlocher's graph-based segmentation (IJCV 2004), as
 * `skimage.segmentation.felzenszwalb`: Gaussian smoothing (`sigma`, reflect
 * borders), an 8-connected pixel graph weighted by colour distance, greedy
 * merging in Kruskal order while an edge is lighter than both segments'
 * internal difference plus `scale / |segment|`, then merging of segments
 * smaller than `minSize`. The over-segmentation that selective search starts
 * from. Async (reads the image back; yields while it works).
 *
 * @param image `[H, W, C]` (or `[H, W]`) image, values in `[0, maxValue]`.
 * @param opts scale, sigma, minimum segment size, value range.
 * @returns `[H, W]` int32 segment labels `0..S-1`, numbered in raster order of first appearance.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { felzenszwalb } from '@fovea/detection';
 * const img = tf.concat([tf.fill([8, 4, 3], 200), tf.fill([8, 4, 3], 20)], 1); // two flat halves
 * const labels = await felzenszwalb(img, { scale: 100, sigma: 0, minSize: 1 });
 * labels.print(); // 0 in the left half, 1 in the right half
 * ```
 * @category Region proposals
 */
export async function felzenszwalb(image: tf.Tensor, opts: FelzenszwalbOptions = {}): Promise<tf.Tensor2D> {
  const op = 'felzenszwalb';
  const scale = checkNumber(op, 'options.scale', opts.scale ?? 1, { gt: 0 });
  const sigma = checkNumber(op, 'options.sigma', opts.sigma ?? 0.8, { min: 0 });
  const minSize = checkNumber(op, 'options.minSize', opts.minSize ?? 20, { integer: true, min: 0 });
  const px = await readImage(op, image, opts.maxValue);
  const { labels } = await felzenszwalbLabels(px, scale, sigma, minSize, slicerFor(op, opts.sliceMs));
  return tf.tensor2d(labels, [px.h, px.w], 'int32');
}
