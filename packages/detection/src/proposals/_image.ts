/** Private: reading an image tensor back as normalised float64 pixels. */
import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor } from '@fovea/core';

/** An image read back: `[H, W, C]` row-major pixels divided by `maxValue`. */
export interface Pixels {
  data: Float64Array;
  h: number;
  w: number;
  c: number;
}

/** Checks an `[H, W, C]` (or `[H, W]`) image and reads it back, scaled to `[0, 1]`. */
export async function readImage(op: string, image: unknown, maxValue: unknown): Promise<Pixels> {
  checkTensor(op, 'image', image, { rank: [2, 3], dtype: ['float32', 'int32'] });
  const mv = checkNumber(op, 'options.maxValue', maxValue ?? 255, { gt: 0 });
  const [h, w, c = 1] = image.shape as number[];
  const raw = await (image as tf.Tensor).data();
  const data = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) data[i] = raw[i]! / mv;
  return { data, h: h!, w: w!, c };
}
