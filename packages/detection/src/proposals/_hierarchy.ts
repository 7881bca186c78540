/**
 * Private: selective search's hierarchical grouping (Uijlings et al., IJCV
 * 2013) of one over-segmentation: repeatedly merge the most similar pair of
 * adjacent regions (colour, size and fill similarity), recording every
 * region's box. A max-heap of pair similarities with lazy deletion.
 */
import type { TimeSlicer } from '../_internal/time-slice.js';
import type { Pixels } from './_image.js';

/** Weights of the similarity terms (the paper's a_colour, a_size, a_fill); 0 switches a term off. @category Region proposals */
export interface SimilarityWeights {
  colour: number;
  size: number;
  fill: number;
}

/** Colour histogram bins per channel (the paper's 25). */
const BINS = 25;

/** The regions of one hierarchy: boxes `[x1, y1, x2, y2]` (exclusive ends) in creation order. */
export interface Hierarchy {
  boxes: Float64Array;
  count: number;
}

class PairHeap {
  private sim: number[] = [];
  private a: number[] = [];
  private b: number[] = [];

  get size(): number {
    return this.sim.length;
  }

  push(s: number, i: number, j: number): void {
    this.sim.push(s);
    this.a.push(i);
    this.b.push(j);
    let k = this.sim.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.above(k, p)) break;
      this.swap(k, p);
      k = p;
    }
  }

  /** Pops the most similar pair (ties: the lower region ids). */
  pop(): [number, number] {
    const top: [number, number] = [this.a[0]!, this.b[0]!];
    const last = this.sim.length - 1;
    this.swap(0, last);
    this.sim.pop();
    this.a.pop();
    this.b.pop();
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < this.sim.length && this.above(l, m)) m = l;
      if (r < this.sim.length && this.above(r, m)) m = r;
      if (m === k) break;
      this.swap(k, m);
      k = m;
    }
    return top;
  }

  private above(x: number, y: number): boolean {
    const d = this.sim[x]! - this.sim[y]!;
    if (d !== 0) return d > 0;
    return this.a[x]! - this.a[y]! < 0 || (this.a[x] === this.a[y] && this.b[x]! < this.b[y]!);
  }

  private swap(x: number, y: number): void {
    [this.sim[x], this.sim[y]] = [this.sim[y]!, this.sim[x]!];
    [this.a[x], this.a[y]] = [this.a[y]!, this.a[x]!];
    [this.b[x], this.b[y]] = [this.b[y]!, this.b[x]!];
  }
}

/** Per-region statistics, for the initial regions and every merge (2R - 1 slots). */
class Regions {
  readonly size: Float64Array;
  readonly box: Float64Array;
  readonly hist: Float64Array;
  readonly nbrs: Set<number>[];
  readonly dim: number;

  constructor(capacity: number, channels: number) {
    this.dim = BINS * channels;
    this.size = new Float64Array(capacity);
    this.box = new Float64Array(4 * capacity);
    this.hist = new Float64Array(capacity * this.dim);
    this.nbrs = Array.from({ length: capacity }, () => new Set<number>());
  }

  similarity(i: number, j: number, imSize: number, wts: SimilarityWeights): number {
    let s = 0;
    if (wts.colour) {
      let c = 0;
      const hi = i * this.dim;
      const hj = j * this.dim;
      for (let t = 0; t < this.dim; t++) c += Math.min(this.hist[hi + t]!, this.hist[hj + t]!);
      s += wts.colour * c;
    }
    const si = this.size[i]!;
    const sj = this.size[j]!;
    if (wts.size) s += wts.size * (1 - (si + sj) / imSize);
    if (wts.fill) {
      const bw = Math.max(this.box[4 * i + 2]!, this.box[4 * j + 2]!) - Math.min(this.box[4 * i]!, this.box[4 * j]!);
      const bh = Math.max(this.box[4 * i + 3]!, this.box[4 * j + 3]!) - Math.min(this.box[4 * i + 1]!, this.box[4 * j + 1]!);
      s += wts.fill * (1 - (bw * bh - si - sj) / imSize);
    }
    return s;
  }

  /** Region `t` = union of `i` and `j`. */
  merge(t: number, i: number, j: number): void {
    const si = this.size[i]!;
    const sj = this.size[j]!;
    this.size[t] = si + sj;
    this.box[4 * t] = Math.min(this.box[4 * i]!, this.box[4 * j]!);
    this.box[4 * t + 1] = Math.min(this.box[4 * i + 1]!, this.box[4 * j + 1]!);
    this.box[4 * t + 2] = Math.max(this.box[4 * i + 2]!, this.box[4 * j + 2]!);
    this.box[4 * t + 3] = Math.max(this.box[4 * i + 3]!, this.box[4 * j + 3]!);
    for (let d = 0; d < this.dim; d++) {
      this.hist[t * this.dim + d] = (si * this.hist[i * this.dim + d]! + sj * this.hist[j * this.dim + d]!) / (si + sj);
    }
  }
}

/** Sizes, boxes, L1-normalised colour histograms and 4-neighbours of the initial regions. */
function initialRegions(px: Pixels, labels: Int32Array, r: number): Regions {
  const { h, w, c } = px;
  const R = new Regions(Math.max(2 * r - 1, 1), c);
  for (let k = 0; k < r; k++) R.box.set([Infinity, Infinity, -Infinity, -Infinity], 4 * k);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const k = labels[p]!;
      R.size[k]++;
      const b = 4 * k;
      if (x < R.box[b]!) R.box[b] = x;
      if (y < R.box[b + 1]!) R.box[b + 1] = y;
      if (x + 1 > R.box[b + 2]!) R.box[b + 2] = x + 1;
      if (y + 1 > R.box[b + 3]!) R.box[b + 3] = y + 1;
      for (let ch = 0; ch < c; ch++) {
        const bin = Math.min(BINS - 1, Math.max(0, Math.floor(px.data[p * c + ch]! * BINS)));
        R.hist[k * R.dim + ch * BINS + bin]++;
      }
      if (x + 1 < w && labels[p + 1] !== k) link(R, k, labels[p + 1]!);
      if (y + 1 < h && labels[p + w] !== k) link(R, k, labels[p + w]!);
    }
  }
  for (let k = 0; k < r; k++) {
    const n = R.size[k]! * c; // L1 normalisation of the whole descriptor
    for (let d = 0; d < R.dim; d++) R.hist[k * R.dim + d] = R.hist[k * R.dim + d]! / n;
  }
  return R;
}

function link(R: Regions, a: number, b: number): void {
  R.nbrs[a]!.add(b);
  R.nbrs[b]!.add(a);
}

/** Groups the `r` regions of `labels` bottom-up; returns every region's box in creation order. */
export async function groupRegions(px: Pixels, labels: Int32Array, r: number, wts: SimilarityWeights, slicer: TimeSlicer): Promise<Hierarchy> {
  const R = initialRegions(px, labels, r);
  const imSize = px.h * px.w;
  const heap = new PairHeap();
  for (let i = 0; i < r; i++) for (const j of R.nbrs[i]!) if (i < j) heap.push(R.similarity(i, j, imSize, wts), i, j);
  const alive = new Uint8Array(Math.max(2 * r - 1, 1)).fill(1);
  let t = r;
  while (heap.size > 0) {
    const [i, j] = heap.pop();
    if (!alive[i] || !alive[j]) continue;
    R.merge(t, i, j);
    alive[i] = 0;
    alive[j] = 0;
    for (const n of [...R.nbrs[i]!, ...R.nbrs[j]!]) {
      if (n === i || n === j || R.nbrs[t]!.has(n)) continue;
      R.nbrs[n]!.delete(i);
      R.nbrs[n]!.delete(j);
      link(R, t, n);
      heap.push(R.similarity(t, n, imSize, wts), n, t);
    }
    R.nbrs[i]!.clear();
    R.nbrs[j]!.clear();
    t++;
    if ((t & 63) === 0 && slicer.due()) await slicer.pause();
  }
  return { boxes: R.box.subarray(0, 4 * t), count: t };
}
