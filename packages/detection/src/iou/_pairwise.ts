/**
 * Private: the pairwise IoU family as a JS kernel (cpu, wasm: one pass over
 * the N×M pairs in float64) and as a differentiable tensor composition
 * (WebGPU, and wherever gradients are recorded), with torchvision's formulas.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ensureKernel, runJsKernel, runKernel, onWebGPU, type KernelArray } from '../_internal/kernels.js';
import { detach, maximum, minimum } from '../_internal/math.js';

/** Which member of the IoU family. @category IoU */
export type IouKind = 'iou' | 'giou' | 'diou' | 'ciou';

const KINDS: Record<IouKind, number> = { iou: 0, giou: 1, diou: 2, ciou: 3 };
const FOUR_OVER_PI2 = 4 / (Math.PI * Math.PI);

/** Columns of `[M, 4]` boxes as float64 arrays (structure of arrays), with areas. */
interface Cols {
  x1: Float64Array;
  y1: Float64Array;
  x2: Float64Array;
  y2: Float64Array;
  area: Float64Array;
}

function columns(b: KernelArray, order?: Int32Array): Cols {
  const m = b.length >> 2;
  const c: Cols = { x1: new Float64Array(m), y1: new Float64Array(m), x2: new Float64Array(m), y2: new Float64Array(m), area: new Float64Array(m) };
  for (let t = 0; t < m; t++) {
    const j = order ? order[t]! : t;
    c.x1[t] = b[4 * j]!;
    c.y1[t] = b[4 * j + 1]!;
    c.x2[t] = b[4 * j + 2]!;
    c.y2[t] = b[4 * j + 3]!;
    c.area[t] = (c.x2[t]! - c.x1[t]!) * (c.y2[t]! - c.y1[t]!);
  }
  return c;
}

/** Whether every box has finite coordinates and a positive width and height. */
function allProper(b: KernelArray): boolean {
  for (let i = 0; i < b.length; i += 4) if (!(b[i + 2]! - b[i]! > 0 && b[i + 3]! - b[i + 1]! > 0 && Number.isFinite(b[i + 2]! + b[i + 3]!))) return false;
  return true;
}

/** First index `t` in `[lo, hi)` of the ascending run `v[lo..hi)` with `v[t] >= x`. */
function lowerBound(v: Float64Array, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Boxes per strip of the sparse IoU index. */
const STRIP = 64;

/**
 * Plain IoU of proper boxes, sparse. `boxes2` is sorted by x1 and cut into
 * strips of {@link STRIP} boxes, each sorted by y1: a row only visits the
 * strips whose x1 range can intersect its box (x1 in `(ax1 - max width, ax2)`)
 * and, in each, the boxes whose y1 can (y1 in `(ay1 - max height, ay2)`).
 * Every other entry is 0 (a positive union, so never torchvision's 0/0).
 */
function iouSparse(a: KernelArray, b: KernelArray, out: KernelArray): void {
  const n = a.length >> 2;
  const m = b.length >> 2;
  const byX = Int32Array.from({ length: m }, (_, j) => j);
  byX.sort((p, q) => b[4 * p]! - b[4 * q]! || p - q);
  // within each strip of the x-order, order by y1
  const order = Int32Array.from(byX);
  for (let s0 = 0; s0 < m; s0 += STRIP) order.subarray(s0, Math.min(m, s0 + STRIP)).sort((p, q) => b[4 * p + 1]! - b[4 * q + 1]! || p - q);
  const c = columns(b, order);
  const strips = Math.ceil(m / STRIP);
  const sx0 = new Float64Array(strips).fill(Infinity); // x1 range of each strip
  const sx1 = new Float64Array(strips).fill(-Infinity);
  let maxW = 0;
  let maxH = 0;
  for (let t = 0; t < m; t++) {
    const k = (t / STRIP) | 0;
    sx0[k] = Math.min(sx0[k]!, c.x1[t]!);
    sx1[k] = Math.max(sx1[k]!, c.x1[t]!);
    maxW = Math.max(maxW, c.x2[t]! - c.x1[t]!);
    maxH = Math.max(maxH, c.y2[t]! - c.y1[t]!);
  }
  for (let i = 0; i < n; i++) {
    const ax1 = a[4 * i]!;
    const ay1 = a[4 * i + 1]!;
    const ax2 = a[4 * i + 2]!;
    const ay2 = a[4 * i + 3]!;
    const areaA = (ax2 - ax1) * (ay2 - ay1);
    const row = i * m;
    out.fill(0, row, row + m);
    // margins absorb rounding in x2 - x1 vs x1 + width
    const xLo = ax1 - maxW - 1e-6 * (Math.abs(ax1) + maxW + 1);
    const yLo = ay1 - maxH - 1e-6 * (Math.abs(ay1) + maxH + 1);
    for (let k = 0; k < strips; k++) {
      if (sx1[k]! <= xLo || sx0[k]! >= ax2) continue;
      const end = Math.min(m, (k + 1) * STRIP);
      for (let t = lowerBound(c.y1, yLo, k * STRIP, end); t < end; t++) {
        const y1 = c.y1[t]!;
        if (y1 >= ay2) break;
        const iw = Math.min(ax2, c.x2[t]!) - Math.max(ax1, c.x1[t]!);
        if (iw <= 0) continue;
        const ih = Math.min(ay2, c.y2[t]!) - Math.max(ay1, y1);
        if (ih <= 0) continue;
        const inter = iw * ih;
        out[row + order[t]!] = inter / (areaA + c.area[t]! - inter);
      }
    }
  }
}

/** The kernel body: `out[i, j]` for every pair (float64 arithmetic, float32 out). */
function pairwiseJs(a: KernelArray, b: KernelArray, out: KernelArray, kind: number, eps: number): void {
  if (kind === 0 && allProper(a) && allProper(b)) {
    iouSparse(a, b, out);
    return;
  }
  const n = a.length >> 2;
  const m = b.length >> 2;
  const c = columns(b);
  const atanB = new Float64Array(m);
  if (kind === 3) for (let j = 0; j < m; j++) atanB[j] = Math.atan((c.x2[j]! - c.x1[j]!) / (c.y2[j]! - c.y1[j]!));
  for (let i = 0; i < n; i++) {
    const ax1 = a[4 * i]!;
    const ay1 = a[4 * i + 1]!;
    const ax2 = a[4 * i + 2]!;
    const ay2 = a[4 * i + 3]!;
    const areaA = (ax2 - ax1) * (ay2 - ay1);
    const atanA = kind === 3 ? Math.atan((ax2 - ax1) / (ay2 - ay1)) : 0;
    const row = i * m;
    for (let j = 0; j < m; j++) {
      const bx1 = c.x1[j]!;
      const by1 = c.y1[j]!;
      const bx2 = c.x2[j]!;
      const by2 = c.y2[j]!;
      let iw = (ax2 < bx2 ? ax2 : bx2) - (ax1 > bx1 ? ax1 : bx1);
      let ih = (ay2 < by2 ? ay2 : by2) - (ay1 > by1 ? ay1 : by1);
      if (iw < 0) iw = 0;
      if (ih < 0) ih = 0;
      const inter = iw * ih;
      const union = areaA + c.area[j]! - inter;
      const iou = inter / union;
      if (kind === 0) {
        out[row + j] = iou;
        continue;
      }
      let cw = (ax2 > bx2 ? ax2 : bx2) - (ax1 < bx1 ? ax1 : bx1);
      let ch = (ay2 > by2 ? ay2 : by2) - (ay1 < by1 ? ay1 : by1);
      if (cw < 0) cw = 0;
      if (ch < 0) ch = 0;
      if (kind === 1) {
        const area = cw * ch;
        out[row + j] = iou - (area - union) / area;
        continue;
      }
      const diag = cw * cw + ch * ch + eps;
      const dx = (ax1 + ax2) / 2 - (bx1 + bx2) / 2;
      const dy = (ay1 + ay2) / 2 - (by1 + by2) / 2;
      const diou = iou - (dx * dx + dy * dy) / diag;
      if (kind === 2) {
        out[row + j] = diou;
        continue;
      }
      const t = atanA - atanB[j]!;
      const v = FOUR_OVER_PI2 * t * t;
      const alpha = v / (1 - iou + v + eps);
      out[row + j] = diou - alpha * v;
    }
  }
}

const KERNEL = 'FoveaPairwiseBoxIou';

const kernelImpls = {
  js: ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => {
    const { boxes1, boxes2 } = args.inputs as { boxes1: tf.TensorInfo; boxes2: tf.TensorInfo };
    const { kind, eps } = args.attrs as unknown as { kind: number; eps: number };
    const [out] = runJsKernel(args.backend, [boxes1, boxes2], [{ shape: [boxes1.shape[0]!, boxes2.shape[0]!], dtype: 'float32' }], (ins, outs) =>
      pairwiseJs(ins[0]!, ins[1]!, outs[0]!, kind, eps), false,
    );
    return out!;
  }) as unknown as tf.KernelFunc,
};

/** torchvision's pairwise formulas as differentiable tensor ops: `[N, 4]`, `[M, 4]` → `[N, M]`. */
export function pairwiseTensor(b1: tf.Tensor, b2: tf.Tensor, kind: IouKind, eps: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [x1, y1, x2, y2] = tf.split(b1, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]; // [N, 1] each
    const m = b2.shape[0]!;
    const [u1, v1, u2, v2] = tf.split(b2, 4, 1).map((c) => tf.reshape(c, [1, m])) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]; // [1, M] each
    const area1 = tf.mul(tf.sub(x2, x1), tf.sub(y2, y1)); // [N, 1]
    const area2 = tf.mul(tf.sub(u2, u1), tf.sub(v2, v1)); // [1, M]
    const iw = tf.relu(tf.sub(minimum(x2, u2), maximum(x1, u1))); // [N, M]
    const ih = tf.relu(tf.sub(minimum(y2, v2), maximum(y1, v1)));
    const inter = tf.mul(iw, ih);
    const union = tf.sub(tf.add(area1, area2), inter);
    const iou = tf.div(inter, union);
    if (kind === 'iou') return iou as tf.Tensor2D;
    const cw = tf.relu(tf.sub(maximum(x2, u2), minimum(x1, u1))); // enclosing box, [N, M]
    const ch = tf.relu(tf.sub(maximum(y2, v2), minimum(y1, v1)));
    if (kind === 'giou') {
      const c = tf.mul(cw, ch);
      return tf.sub(iou, tf.div(tf.sub(c, union), c)) as tf.Tensor2D;
    }
    const diag = tf.add(tf.add(tf.square(cw), tf.square(ch)), eps);
    const dx = tf.sub(tf.div(tf.add(x1, x2), 2), tf.div(tf.add(u1, u2), 2)); // [N, M]
    const dy = tf.sub(tf.div(tf.add(y1, y2), 2), tf.div(tf.add(v1, v2), 2));
    const diou = tf.sub(iou, tf.div(tf.add(tf.square(dx), tf.square(dy)), diag));
    if (kind === 'diou') return diou as tf.Tensor2D;
    const t = tf.sub(tf.atan(tf.div(tf.sub(x2, x1), tf.sub(y2, y1))), tf.atan(tf.div(tf.sub(u2, u1), tf.sub(v2, v1))));
    const v = tf.mul(FOUR_OVER_PI2, tf.square(t)); // [N, M]
    const alpha = detach(tf.div(v, tf.add(tf.add(tf.sub(1, iou), v), eps))); // no gradient, as torchvision
    return tf.sub(diou, tf.mul(alpha, v)) as tf.Tensor2D;
  });
}

/**
 * The pairwise matrix: one fused JS kernel on CPU-memory backends when no
 * gradient is being recorded (inference, matching, evaluation); the
 * differentiable tensor composition under `tf.grad` / `variableGrads` and on
 * WebGPU.
 */
export function pairwise(b1: tf.Tensor, b2: tf.Tensor, kind: IouKind, eps: number): tf.Tensor2D {
  if (onWebGPU() || tf.engine().isTapeOn() || !ensureKernel(KERNEL, kernelImpls)) return pairwiseTensor(b1, b2, kind, eps);
  return runKernel(KERNEL, { boxes1: b1, boxes2: b2 }, { kind: KINDS[kind], eps }) as tf.Tensor2D;
}
