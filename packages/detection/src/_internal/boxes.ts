/** Private box validation shared by the ops. */
import * as tf from '@tensorflow/tfjs-core';
import { checkTensor, FoveaError, type DimBindings } from '@fovea/core';

/** The box formats Fovea understands (torchvision's names). @category Boxes */
export type BoxFormat = 'xyxy' | 'xywh' | 'cxcywh';

/** Checks a `[N, 4]` float32 boxes tensor synchronously. */
export function checkBoxesTensor(op: string, arg: string, boxes: unknown, dims: DimBindings = {}, n = 'N'): asserts boxes is tf.Tensor2D {
  checkTensor(op, arg, boxes, { shape: [n, 4], dtype: 'float32' }, dims);
}

function fmtRow(d: ArrayLike<number>, r: number, w: number): string {
  const vals: string[] = [];
  for (let j = 0; j < w; j++) vals.push(String(Math.fround(d[r * w + j]!)));
  return `[${vals.join(', ')}]`;
}

/**
 * Throws a FoveaError for the first row of `[N, 4]` box data that is not
 * finite or has a negative extent in `format` (x2 < x1 or y2 < y1 for xyxy,
 * w < 0 or h < 0 otherwise). Zero-size boxes are allowed.
 */
export function checkBoxRows(op: string, arg: string, data: ArrayLike<number>, format: BoxFormat = 'xyxy'): void {
  const n = data.length >> 2;
  for (let r = 0; r < n; r++) {
    const a = data[4 * r]!;
    const b = data[4 * r + 1]!;
    const c = data[4 * r + 2]!;
    const d = data[4 * r + 3]!;
    if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && Number.isFinite(d))) {
      throw new FoveaError({ op, arg, expected: 'finite coordinates', got: `${fmtRow(data, r, 4)} at row ${r}` });
    }
    if (format === 'xyxy' ? c < a || d < b : c < 0 || d < 0) {
      const rule = format === 'xyxy' ? 'x2 >= x1 and y2 >= y1' : 'w >= 0 and h >= 0';
      throw new FoveaError({ op, arg, expected: `${format} rows with ${rule}`, got: `${fmtRow(data, r, 4)} at row ${r}` });
    }
  }
}

/** Throws a FoveaError naming the first non-finite score. */
export function checkScoreValues(op: string, arg: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      throw new FoveaError({ op, arg, expected: 'finite scores', got: `${Number.isNaN(v) ? 'NaN' : String(v)} at index ${i}` });
    }
  }
}

/** Reads boxes (and optionally scores) back asynchronously and validates them. */
export async function readBoxes(op: string, arg: string, boxes: tf.Tensor, format: BoxFormat = 'xyxy'): Promise<Float32Array> {
  const data = (await boxes.data()) as Float32Array;
  checkBoxRows(op, arg, data, format);
  return data;
}
