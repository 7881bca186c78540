/**
 * COCO's box IoU (pycocotools `maskApi.c` `bbIou`), on typed arrays, in the
 * same float64 operation order so thresholds compare bit-for-bit:
 * `xywh` boxes, no `+1`, and for a **crowd** gt the union is the detection's
 * own area (`inter / area_d`). Detection-package box IoU is a differentiable
 * tensor op; this one is the evaluator's (DESIGN.md: metrics owns it).
 */

/**
 * Fills `out[d * G + g]` with the IoU of detection row `ds[d]` and gt row
 * `gs[g]` (rows index `[n, 4]` xywh arrays).
 * @internal
 */
export function cocoIoU(
  dBoxes: ArrayLike<number>,
  ds: ArrayLike<number>,
  gBoxes: ArrayLike<number>,
  gs: ArrayLike<number>,
  crowd: ArrayLike<number>,
  out: Float64Array,
): void {
  const D = ds.length;
  const G = gs.length;
  for (let g = 0; g < G; g++) {
    const gr = gs[g]!;
    const gx = gBoxes[4 * gr]!;
    const gy = gBoxes[4 * gr + 1]!;
    const gw = gBoxes[4 * gr + 2]!;
    const gh = gBoxes[4 * gr + 3]!;
    const ga = gw * gh;
    const isCrowd = crowd[gr] !== 0;
    for (let d = 0; d < D; d++) {
      const dr = ds[d]!;
      const dx = dBoxes[4 * dr]!;
      const dy = dBoxes[4 * dr + 1]!;
      const dw = dBoxes[4 * dr + 2]!;
      const dh = dBoxes[4 * dr + 3]!;
      const da = dw * dh;
      out[d * G + g] = 0;
      const w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx);
      if (w <= 0) continue;
      const h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy);
      if (h <= 0) continue;
      const i = w * h;
      const u = isCrowd ? da : da + ga - i;
      out[d * G + g] = i / u;
    }
  }
}
