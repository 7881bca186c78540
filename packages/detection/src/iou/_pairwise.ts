/**
 * Private: the pairwise IoU family as a JS kernel (cpu, wasm: one pass over
 * the N×M pairs in float64) and as a differentiable tensor composition
 * (WebGPU, and wherever gradients are recorded), with torchvision's formulas.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ensureKernel, runJsKernel, runKernel, onWebGPU, type KernelArray } from '../_internal/kernels.js';
import { detach, maximum, minimum } from '../_internal/math.js';

/** Which member of the IoU family. */
export type IouKind = 'iou' | 'giou' | 'diou' | 'ciou';

const KINDS: Record<IouKind, number> = { iou: 0, giou: 1, diou: 2, ciou: 3 };
const FOUR_OVER_PI2 = 4 / (Math.PI * Math.PI);

/** The kernel body: `out[i, j]` for every pair (float64 arithmetic, float32 out). */
function pairwiseJs(a: KernelArray, b: KernelArray, out: KernelArray, kind: number, eps: number): void {
  const n = a.length >> 2;
  const m = b.length >> 2;
  const areaB = new Float64Array(m);
  const atanB = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const w = b[4 * j + 2]! - b[4 * j]!;
    const h = b[4 * j + 3]! - b[4 * j + 1]!;
    areaB[j] = w * h;
    if (kind === 3) atanB[j] = Math.atan(w / h);
  }
  for (let i = 0; i < n; i++) {
    const ax1 = a[4 * i]!;
    const ay1 = a[4 * i + 1]!;
    const ax2 = a[4 * i + 2]!;
    const ay2 = a[4 * i + 3]!;
    const areaA = (ax2 - ax1) * (ay2 - ay1);
    const atanA = kind === 3 ? Math.atan((ax2 - ax1) / (ay2 - ay1)) : 0;
    const row = i * m;
    for (let j = 0; j < m; j++) {
      const bx1 = b[4 * j]!;
      const by1 = b[4 * j + 1]!;
      const bx2 = b[4 * j + 2]!;
      const by2 = b[4 * j + 3]!;
      let iw = (ax2 < bx2 ? ax2 : bx2) - (ax1 > bx1 ? ax1 : bx1);
      let ih = (ay2 < by2 ? ay2 : by2) - (ay1 > by1 ? ay1 : by1);
      if (iw < 0) iw = 0;
      if (ih < 0) ih = 0;
      const inter = iw * ih;
      const union = areaA + areaB[j]! - inter;
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
        const c = cw * ch;
        out[row + j] = iou - (c - union) / c;
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
      pairwiseJs(ins[0]!, ins[1]!, outs[0]!, kind, eps),
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
