/**
 * Private: exact greedy NMS on typed arrays. A candidate (visited by
 * decreasing score) is kept unless an already kept box overlaps it with
 * IoU > threshold — the same decisions as torchvision's suppress-forward loop,
 * since only kept boxes ever suppress. Kept boxes live in a uniform grid, so
 * a candidate is compared only with the kept boxes whose cells it shares
 * (IoU > threshold ≥ 0 needs a positive intersection, hence a shared cell).
 * IoU is computed in float64 from the float32 inputs.
 */
import type { TimeSlicer } from '../_internal/time-slice.js';

/** How many candidates between two clock reads. */
const CHECK_EVERY = 512;
/** Up to this many candidates, a plain all-pairs loop beats building a grid. */
const BRUTE_FORCE_MAX = 48;

/** IoU of boxes `i` and `j` of `b` (xyxy rows), torchvision's formula; NaN for two empty boxes. */
export function iouAt(b: ArrayLike<number>, i: number, j: number): number {
  const ix1 = b[4 * i]!;
  const iy1 = b[4 * i + 1]!;
  const ix2 = b[4 * i + 2]!;
  const iy2 = b[4 * i + 3]!;
  const jx1 = b[4 * j]!;
  const jy1 = b[4 * j + 1]!;
  const jx2 = b[4 * j + 2]!;
  const jy2 = b[4 * j + 3]!;
  const w = (ix2 < jx2 ? ix2 : jx2) - (ix1 > jx1 ? ix1 : jx1);
  const h = (iy2 < jy2 ? iy2 : jy2) - (iy1 > jy1 ? iy1 : jy1);
  const inter = (w > 0 ? w : 0) * (h > 0 ? h : 0);
  return inter / ((ix2 - ix1) * (iy2 - iy1) + (jx2 - jx1) * (jy2 - jy1) - inter);
}

/** A uniform grid over the candidates' extent; each cell holds a linked list of kept boxes. */
class KeptGrid {
  private readonly x0: number;
  private readonly y0: number;
  private readonly sx: number;
  private readonly sy: number;
  private readonly gx: number;
  private readonly gy: number;
  private readonly head: Int32Array;
  private next = new Int32Array(1024);
  private item = new Int32Array(1024);
  private used = 0;
  /** Kept boxes spanning too many cells: checked against every candidate. */
  private readonly big: number[] = [];
  private readonly maxCells: number;
  private readonly seen: Int32Array;
  private stamp = 0;

  constructor(b: ArrayLike<number>, order: Int32Array) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    let sw = 0;
    let sh = 0;
    for (let t = 0; t < order.length; t++) {
      const i = order[t]!;
      x0 = Math.min(x0, b[4 * i]!);
      y0 = Math.min(y0, b[4 * i + 1]!);
      x1 = Math.max(x1, b[4 * i + 2]!);
      y1 = Math.max(y1, b[4 * i + 3]!);
      sw += b[4 * i + 2]! - b[4 * i]!;
      sh += b[4 * i + 3]! - b[4 * i + 1]!;
    }
    const n = order.length;
    // cells about the mean box size, at most ~2n cells in all
    const spanX = Math.max(x1 - x0, 1e-6);
    const spanY = Math.max(y1 - y0, 1e-6);
    let gx = Math.max(1, Math.ceil(spanX / Math.max(sw / n, 1e-6)));
    let gy = Math.max(1, Math.ceil(spanY / Math.max(sh / n, 1e-6)));
    const limit = Math.max(1, 2 * n);
    if (gx * gy > limit) {
      const f = Math.sqrt((gx * gy) / limit);
      gx = Math.max(1, Math.floor(gx / f));
      gy = Math.max(1, Math.floor(gy / f));
    }
    this.x0 = x0;
    this.y0 = y0;
    this.gx = gx;
    this.gy = gy;
    this.sx = gx / spanX;
    this.sy = gy / spanY;
    this.head = new Int32Array(gx * gy).fill(-1);
    this.maxCells = 16;
    this.seen = new Int32Array(n);
  }

  private cx(x: number): number {
    const c = Math.floor((x - this.x0) * this.sx);
    return c < 0 ? 0 : c >= this.gx ? this.gx - 1 : c;
  }

  private cy(y: number): number {
    const c = Math.floor((y - this.y0) * this.sy);
    return c < 0 ? 0 : c >= this.gy ? this.gy - 1 : c;
  }

  /** Adds kept box `k`, which is candidate number `pos`. */
  add(b: ArrayLike<number>, k: number, pos: number): void {
    const ax = this.cx(b[4 * k]!);
    const bx = this.cx(b[4 * k + 2]!);
    const ay = this.cy(b[4 * k + 1]!);
    const by = this.cy(b[4 * k + 3]!);
    if ((bx - ax + 1) * (by - ay + 1) > this.maxCells) {
      this.big.push(k);
      return;
    }
    for (let y = ay; y <= by; y++) {
      for (let x = ax; x <= bx; x++) {
        if (this.used === this.next.length) this.grow();
        const c = y * this.gx + x;
        this.item[this.used] = pos;
        this.next[this.used] = this.head[c]!;
        this.head[c] = this.used++;
      }
    }
  }

  private grow(): void {
    const n2 = new Int32Array(this.next.length * 2);
    n2.set(this.next);
    this.next = n2;
    const i2 = new Int32Array(this.item.length * 2);
    i2.set(this.item);
    this.item = i2;
  }

  /** Whether a kept box (`keep[0..k)`, also in the grid) overlaps box `j` with IoU > thr. */
  suppresses(b: ArrayLike<number>, order: Int32Array, j: number, thr: number, keep: Int32Array, k: number): boolean {
    const ax = this.cx(b[4 * j]!);
    const bx = this.cx(b[4 * j + 2]!);
    const ay = this.cy(b[4 * j + 1]!);
    const by = this.cy(b[4 * j + 3]!);
    if ((bx - ax + 1) * (by - ay + 1) > k) {
      // a candidate spanning more cells than there are kept boxes: compare with all of them
      for (let s = 0; s < k; s++) if (iouAt(b, keep[s]!, j) > thr) return true;
      return false;
    }
    for (let t = 0; t < this.big.length; t++) if (iouAt(b, this.big[t]!, j) > thr) return true;
    const stamp = ++this.stamp;
    const seen = this.seen;
    for (let y = ay; y <= by; y++) {
      for (let x = ax; x <= bx; x++) {
        for (let e = this.head[y * this.gx + x]!; e >= 0; e = this.next[e]!) {
          const pos = this.item[e]!;
          if (seen[pos] === stamp) continue;
          seen[pos] = stamp;
          if (iouAt(b, order[pos]!, j) > thr) return true;
        }
      }
    }
    return false;
  }
}

/**
 * Greedy NMS over the candidates `order` (indices into `b`, by decreasing
 * score). Returns the kept indices in visiting order, at most `maxKeep`.
 */
export async function greedyNms(
  b: ArrayLike<number>,
  order: Int32Array,
  thr: number,
  maxKeep: number,
  slicer: TimeSlicer,
): Promise<Int32Array> {
  const n = order.length;
  const keep = new Int32Array(Math.min(n, maxKeep));
  let k = 0;
  if (n === 0 || maxKeep <= 0) return keep;
  if (!(thr >= 0) || n <= BRUTE_FORCE_MAX) {
    // few candidates, or a negative threshold (any pair with a defined IoU suppresses,
    // overlapping or not): compare each candidate with every kept box
    for (let t = 0; t < n && k < maxKeep; t++) {
      const j = order[t]!;
      let sup = false;
      for (let s = 0; s < k && !sup; s++) sup = iouAt(b, keep[s]!, j) > thr;
      if (!sup) keep[k++] = j;
      if ((t & (CHECK_EVERY - 1)) === CHECK_EVERY - 1 && slicer.due()) await slicer.pause();
    }
    return keep.subarray(0, k);
  }
  const grid = new KeptGrid(b, order);
  for (let t = 0; t < n && k < maxKeep; t++) {
    const j = order[t]!;
    if (!grid.suppresses(b, order, j, thr, keep, k)) {
      keep[k++] = j;
      grid.add(b, j, t);
    }
    if ((t & (CHECK_EVERY - 1)) === CHECK_EVERY - 1 && slicer.due()) await slicer.pause();
  }
  return keep.subarray(0, k);
}
