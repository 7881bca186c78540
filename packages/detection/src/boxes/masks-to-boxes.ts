import * as tf from '@tensorflow/tfjs-core';
import { checkTensor, FoveaError } from '@fovea/core';

/**
 * The bounding box of each mask, like `torchvision.ops.masks_to_boxes`:
 * `(min x, min y, max x, max y)` over its pixels, as **inclusive** pixel
 * indices (a single pixel at column 3, row 5 gives `[3, 5, 3, 5]`). Async: it
 * reads the masks back; an all-false mask has no box and is an error.
 *
 * @param masks `[N, H, W]` masks (bool, or numeric where nonzero is inside).
 * @returns `[N, 4]` float32 boxes as `[x1, y1, x2, y2]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { masksToBoxes } from '@fovea/detection';
 * const m = tf.tensor3d([[[0, 0, 0], [0, 1, 1], [0, 1, 0]]], [1, 3, 3], 'bool');
 * (await masksToBoxes(m)).print(); // [[1, 1, 2, 2]]
 * ```
 * @category Boxes
 */
export async function masksToBoxes(masks: tf.Tensor): Promise<tf.Tensor2D> {
  const op = 'masksToBoxes';
  checkTensor(op, 'masks', masks, { rank: 3 });
  const [n, h, w] = masks.shape as [number, number, number];
  const d = await masks.data();
  const out = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    let x1 = w;
    let y1 = h;
    let x2 = -1;
    let y2 = -1;
    const base = i * h * w;
    for (let y = 0; y < h; y++) {
      const row = base + y * w;
      for (let x = 0; x < w; x++) {
        if (d[row + x] === 0) continue;
        if (x < x1) x1 = x;
        if (x > x2) x2 = x;
        if (y < y1) y1 = y;
        y2 = y;
      }
    }
    if (x2 < 0) throw new FoveaError({ op, arg: 'masks', expected: 'masks with at least one pixel set', got: `an empty mask at index ${i}` });
    out.set([x1, y1, x2, y2], 4 * i);
  }
  return tf.tensor2d(out, [n, 4]);
}
