import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkTensor, formatShape } from '@fovea/core';
import { checkSize } from '../_internal/args.js';

/** Options of {@link glimpseSensor}. @category Recurrent attention */
export interface GlimpseSensorOptions {
  /** Side `g` of every glimpse patch after resizing, pixels; default 8. */
  size?: number;
  /** Number of patches `k` (resolutions); default 3. */
  depth?: number;
  /** Each patch is `scale` times wider than the previous one (then averaged down to `g × g`); default 2. */
  scale?: number;
}

/** @internal Resolves the sensor options. */
export function resolveSensor(op: string, o: GlimpseSensorOptions): Required<GlimpseSensorOptions> {
  return { size: checkSize(op, 'options.size', o.size ?? 8), depth: checkSize(op, 'options.depth', o.depth ?? 3), scale: checkSize(op, 'options.scale', o.scale ?? 2) };
}

/** The patches of one resolution: `S = g·s^i` pixels around each centre, averaged down to `g × g`. */
function patches(images: tf.Tensor4D, cx: tf.Tensor, cy: tf.Tensor, g: number, factor: number): tf.Tensor4D {
  const [b, h, w] = images.shape;
  const s = g * factor; // side in pixels
  // cropAndResize samples S points from y1·(H-1) to y2·(H-1): one per pixel, centred on (cx, cy)
  const y1 = tf.div(tf.sub(cy, s / 2), Math.max(h - 1, 1));
  const y2 = tf.div(tf.add(cy, s / 2 - 1), Math.max(h - 1, 1));
  const x1 = tf.div(tf.sub(cx, s / 2), Math.max(w - 1, 1));
  const x2 = tf.div(tf.add(cx, s / 2 - 1), Math.max(w - 1, 1));
  const boxes = tf.stack([y1, x1, y2, x2], 1) as tf.Tensor2D; // [B, 4]
  const crops = tf.image.cropAndResize(images, boxes, tf.range(0, b, 1, 'int32') as tf.Tensor1D, [s, s], 'bilinear', 0); // [B, S, S, C], zeros outside
  return factor === 1 ? crops : tf.avgPool(crops, factor, factor, 'valid'); // [B, g, g, C]
}

const sense = (g: number, k: number, scale: number) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const images = args[0] as tf.Tensor4D;
    const loc = args[1] as tf.Tensor2D;
    const [, h, w] = images.shape;
    const [lx, ly] = tf.split(loc, 2, 1).map((t) => tf.reshape(t, [-1])); // [B] each, in [-1, 1]
    const cx = tf.mul(tf.add(lx!, 1), w / 2); // centre in pixels (0 = left edge, W = right edge)
    const cy = tf.mul(tf.add(ly!, 1), h / 2);
    const parts: tf.Tensor[] = [];
    for (let i = 0; i < k; i++) parts.push(patches(images, cx, cy, g, scale ** i));
    return {
      value: tf.stack(parts, 1), // [B, k, g, g, C], finest first
      gradFunc: () => [tf.zeros(images.shape), tf.zeros(loc.shape)], // not differentiable: RAM learns where to look by REINFORCE
    };
  });

/**
 * The retina of the recurrent attention model (Mnih et al. 2014): around each
 * location it extracts `k` square patches, `g·s^0, g·s^1, …, g·s^(k-1)` pixels
 * wide, and averages each down to `g × g`, so the glimpse is sharp at the
 * centre and coarse in the periphery. Locations are `(x, y)` in `[-1, 1]`
 * (−1 = left/top edge, +1 = right/bottom edge, 0 = centre), sampled
 * bilinearly (sub-pixel positions); outside the image is black. The sensor
 * is not differentiable (its gradients are zero): where to look is learned
 * by reinforcement.
 *
 * @param images `[B, H, W, C]`.
 * @param locations `[B, 2]` centres as `(x, y)` in `[-1, 1]`.
 * @param opts size `g` (8), depth `k` (3), scale `s` (2).
 * @returns `[B, k, g, g, C]`: the `k` patches, finest first.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { glimpseSensor } from '@fovea/attention';
 * const canvas = tf.zeros([4, 60, 60, 1]);
 * const g = glimpseSensor(canvas, tf.zeros([4, 2]), { size: 12, depth: 3, scale: 2 }); // 12, 24 and 48 px wide
 * g.shape; // [4, 3, 12, 12, 1]
 * ```
 * @category Recurrent attention
 */
export function glimpseSensor(images: tf.Tensor, locations: tf.Tensor, opts: GlimpseSensorOptions = {}): tf.Tensor5D {
  const op = 'glimpseSensor';
  checkTensor(op, 'images', images, { rank: 4, dtype: 'float32' });
  const dims = { B: images.shape[0]! };
  checkTensor(op, 'locations', locations, { shape: ['B', 2], dtype: 'float32' }, dims);
  const { size, depth, scale } = resolveSensor(op, opts);
  checkNumber(op, 'options.scale', scale, { min: 1 });
  if (images.shape[1]! < 1 || images.shape[2]! < 1) throw new FoveaError({ op, arg: 'images', expected: 'images of at least 1×1', got: `shape ${formatShape(images.shape)}` });
  const [b, , , c] = images.shape as [number, number, number, number];
  if (b === 0) return tf.zeros([0, depth, size, size, c]);
  return sense(size, depth, scale)(images, locations) as tf.Tensor5D;
}
