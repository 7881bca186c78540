import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor, FoveaError } from '@fovea/core';
import { checkBoxesTensor } from '../_internal/boxes.js';

/** The weights `[wx, wy, ww, wh]` that scale the four deltas. @category Box coder */
export type BoxCoderWeights = readonly [number, number, number, number];

/** torchvision's default `bbox_xform_clip`, `log(1000 / 16)`: no box grows more than 62.5× in one decode. @category Box coder */
export const BBOX_XFORM_CLIP = Math.log(1000 / 16);

function checkWeights(op: string, w: unknown): BoxCoderWeights {
  if (!Array.isArray(w) || w.length !== 4) {
    throw new FoveaError({ op, arg: 'weights', expected: 'four weights [wx, wy, ww, wh]', got: Array.isArray(w) ? `${w.length} values` : typeof w });
  }
  return w.map((x, i) => checkNumber(op, `weights[${i}]`, x, { gt: 0 })) as unknown as BoxCoderWeights;
}

/** Width, height and centre columns of `[N, 4]` xyxy boxes, each `[N, 1]`. */
function whc(b: tf.Tensor): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] {
  const [x1, y1, x2, y2] = tf.split(b, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  const w = tf.sub(x2, x1);
  const h = tf.sub(y2, y1);
  return [w, h, tf.add(x1, tf.mul(0.5, w)), tf.add(y1, tf.mul(0.5, h))];
}

/**
 * Encodes boxes as regression targets relative to proposals (anchors), like
 * torchvision's `BoxCoder.encode_single(reference_boxes, proposals)`:
 * `dx = wx·(cx_g - cx_p)/w_p`, `dy = wy·(cy_g - cy_p)/h_p`,
 * `dw = ww·log(w_g/w_p)`, `dh = wh·log(h_g/h_p)`. Differentiable.
 *
 * @param referenceBoxes `[N, 4]` target boxes (e.g. matched ground truth) as `[x1, y1, x2, y2]`.
 * @param proposals `[N, 4]` proposals or anchors as `[x1, y1, x2, y2]`.
 * @param weights `[wx, wy, ww, wh]`, e.g. `[1, 1, 1, 1]` (RPN) or `[10, 10, 5, 5]` (Fast R-CNN head).
 * @returns `[N, 4]` deltas `[dx, dy, dw, dh]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { encodeBoxes } from '@fovea/detection';
 * const d = encodeBoxes(tf.tensor2d([[2, 0, 12, 20]]), tf.tensor2d([[0, 0, 10, 10]]), [1, 1, 1, 1]);
 * d.print(); // [[0.2, 0.5, 0, 0.6931]]
 * ```
 * @category Box coder
 */
export function encodeBoxes(referenceBoxes: tf.Tensor, proposals: tf.Tensor, weights: BoxCoderWeights): tf.Tensor2D {
  const op = 'encodeBoxes';
  const dims = {};
  checkBoxesTensor(op, 'referenceBoxes', referenceBoxes, dims);
  checkBoxesTensor(op, 'proposals', proposals, dims);
  const [wx, wy, ww, wh] = checkWeights(op, weights);
  return tf.tidy(() => {
    const [pw, ph, pcx, pcy] = whc(proposals); // [N, 1] each
    const [gw, gh, gcx, gcy] = whc(referenceBoxes);
    const dx = tf.div(tf.mul(wx, tf.sub(gcx, pcx)), pw);
    const dy = tf.div(tf.mul(wy, tf.sub(gcy, pcy)), ph);
    const dw = tf.mul(ww, tf.log(tf.div(gw, pw)));
    const dh = tf.mul(wh, tf.log(tf.div(gh, ph)));
    return tf.concat([dx, dy, dw, dh], 1) as tf.Tensor2D; // [N, 4]
  });
}

/**
 * Decodes regression deltas relative to boxes, like torchvision's
 * `BoxCoder.decode_single(rel_codes, boxes)`: `dw`, `dh` (after dividing by
 * the weights) are clamped to `bboxXformClip` before `exp`, so a box grows at
 * most `exp(clip)`×. Class-specific codes `[N, 4·K]` decode to `[N, 4·K]`.
 * Differentiable.
 *
 * @param relCodes `[N, 4·K]` deltas `[dx, dy, dw, dh]` (K = 1 usually).
 * @param boxes `[N, 4]` the proposals or anchors the deltas refer to, as `[x1, y1, x2, y2]`.
 * @param weights `[wx, wy, ww, wh]`.
 * @param bboxXformClip upper clamp of `dw`, `dh`; default `log(1000/16)`.
 * @returns `[N, 4·K]` decoded boxes as `[x1, y1, x2, y2]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { decodeBoxes } from '@fovea/detection';
 * const b = decodeBoxes(tf.tensor2d([[0.2, 0.5, 0, 0.6931]]), tf.tensor2d([[0, 0, 10, 10]]), [1, 1, 1, 1]);
 * b.print(); // ≈ [[2, 0, 12, 20]]
 * ```
 * @category Box coder
 */
export function decodeBoxes(relCodes: tf.Tensor, boxes: tf.Tensor, weights: BoxCoderWeights, bboxXformClip = BBOX_XFORM_CLIP): tf.Tensor2D {
  const op = 'decodeBoxes';
  checkTensor(op, 'relCodes', relCodes, { rank: 2, dtype: 'float32' });
  const width = relCodes.shape[1]!;
  if (width % 4 !== 0 || width === 0) {
    throw new FoveaError({ op, arg: 'relCodes', expected: 'shape [N, 4·K]', got: `shape [${relCodes.shape.join(', ')}]` });
  }
  checkBoxesTensor(op, 'boxes', boxes, { N: relCodes.shape[0]! });
  const [wx, wy, ww, wh] = checkWeights(op, weights);
  const clip = checkNumber(op, 'bboxXformClip', bboxXformClip);
  const k = width / 4;
  return tf.tidy(() => {
    const [w, h, cx, cy] = whc(boxes); // [N, 1] each
    const codes = tf.reshape(relCodes, [-1, k, 4]); // [N, K, 4]
    const [c0, c1, c2, c3] = tf.split(codes, 4, 2).map((c) => tf.reshape(c, [-1, k])) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]; // [N, K]
    const dw = tf.minimum(tf.div(c2, ww), clip);
    const dh = tf.minimum(tf.div(c3, wh), clip);
    const pcx = tf.add(tf.mul(tf.div(c0, wx), w), cx); // [N, K]
    const pcy = tf.add(tf.mul(tf.div(c1, wy), h), cy);
    const hw = tf.mul(0.5, tf.mul(tf.exp(dw), w));
    const hh = tf.mul(0.5, tf.mul(tf.exp(dh), h));
    const out = tf.stack([tf.sub(pcx, hw), tf.sub(pcy, hh), tf.add(pcx, hw), tf.add(pcy, hh)], 2); // [N, K, 4]
    return tf.reshape(out, [-1, 4 * k]) as tf.Tensor2D; // [N, 4K]
  });
}

/**
 * torchvision's `BoxCoder`: {@link encodeBoxes} / {@link decodeBoxes} with
 * fixed weights and clip.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { BoxCoder } from '@fovea/detection';
 * const coder = new BoxCoder([10, 10, 5, 5]);
 * const anchors = tf.tensor2d([[0, 0, 10, 10]]);
 * const deltas = coder.encode(tf.tensor2d([[1, 1, 11, 11]]), anchors); // [[1, 1, 0, 0]]
 * coder.decode(deltas, anchors).print(); // [[1, 1, 11, 11]]
 * ```
 * @category Box coder
 */
export class BoxCoder {
  /** `[wx, wy, ww, wh]`. */
  readonly weights: BoxCoderWeights;
  /** Upper clamp of the decoded `dw`, `dh`. */
  readonly bboxXformClip: number;

  constructor(weights: BoxCoderWeights = [1, 1, 1, 1], bboxXformClip = BBOX_XFORM_CLIP) {
    this.weights = checkWeights('BoxCoder', weights);
    this.bboxXformClip = checkNumber('BoxCoder', 'bboxXformClip', bboxXformClip);
  }

  /** Deltas of `referenceBoxes` relative to `proposals`, `[N, 4]`. See {@link encodeBoxes}. */
  encode(referenceBoxes: tf.Tensor, proposals: tf.Tensor): tf.Tensor2D {
    return encodeBoxes(referenceBoxes, proposals, this.weights);
  }

  /** Boxes from deltas relative to `boxes`, `[N, 4·K]`. See {@link decodeBoxes}. */
  decode(relCodes: tf.Tensor, boxes: tf.Tensor): tf.Tensor2D {
    return decodeBoxes(relCodes, boxes, this.weights, this.bboxXformClip);
  }
}
