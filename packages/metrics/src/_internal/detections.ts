/** Reading per-image detection inputs into float64 arrays. */
import { FoveaError, formatShape } from '@fovea/core';
import type { BoxFormat, DetectionPrediction, DetectionTarget } from '../detection/types.js';
import { readInput, type MetricInput } from './input.js';

/** One image's predictions as flat arrays; boxes converted to `out` format. @internal */
export interface ReadPrediction {
  boxes: Float64Array;
  scores: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/** One image's ground truth as flat arrays. @internal */
export interface ReadTarget {
  boxes: Float64Array;
  labels: ArrayLike<number>;
  iscrowd: ArrayLike<number> | null;
  area: ArrayLike<number> | null;
  difficult: ArrayLike<number> | null;
}

/**
 * Converts `[N, 4]` boxes from `from` to `xywh` or `xyxy` in float64 and
 * rejects negative widths/heights, naming the row.
 * @internal
 */
export function convertBoxes(op: string, arg: string, data: ArrayLike<number>, from: BoxFormat, to: 'xywh' | 'xyxy'): Float64Array {
  const n = data.length / 4;
  const out = new Float64Array(data.length);
  for (let i = 0; i < n; i++) {
    const a = data[4 * i]!;
    const b = data[4 * i + 1]!;
    const c = data[4 * i + 2]!;
    const d = data[4 * i + 3]!;
    let x: number, y: number, w: number, h: number;
    if (from === 'xyxy') [x, y, w, h] = [a, b, c - a, d - b];
    else if (from === 'xywh') [x, y, w, h] = [a, b, c, d];
    else [x, y, w, h] = [a - c / 2, b - d / 2, c, d];
    if (!(w >= 0 && h >= 0)) {
      const expected = from === 'xyxy' ? 'boxes with x2 >= x1 and y2 >= y1' : 'boxes with width and height >= 0';
      throw new FoveaError({ op, arg, expected, got: `[${a}, ${b}, ${c}, ${d}] at row ${i}` });
    }
    if (to === 'xywh' || from === 'xyxy') {
      out.set(to === 'xywh' ? [x, y, w, h] : [a, b, c, d], 4 * i);
    } else {
      out.set([x, y, x + w, y + h], 4 * i);
    }
  }
  return out;
}

function lengthCheck(op: string, arg: string, got: readonly number[], n: number, what: string): void {
  if (got[0] !== n) {
    throw new FoveaError({ op, arg, expected: `shape [${n}] (one per ${what} box)`, got: `shape ${formatShape(got)}` });
  }
}

async function readBoxes(op: string, arg: string, x: MetricInput): Promise<{ data: ArrayLike<number>; n: number }> {
  const b = await readInput(op, arg, x, { rank: [1, 2] });
  // an empty 1-D array is accepted as "no boxes"
  if (b.shape.length === 1 && b.shape[0] === 0) return { data: b.data, n: 0 };
  if (b.shape.length !== 2 || b.shape[1] !== 4) {
    throw new FoveaError({ op, arg, expected: 'shape [N, 4]', got: `shape ${formatShape(b.shape)}` });
  }
  return { data: b.data, n: b.shape[0]! };
}

/** Reads one image's predictions. @internal */
export async function readPrediction(op: string, arg: string, p: DetectionPrediction, from: BoxFormat, to: 'xywh' | 'xyxy'): Promise<ReadPrediction> {
  if (p === null || typeof p !== 'object') {
    throw new FoveaError({ op, arg, expected: 'an object {boxes, scores, labels}', got: String(p) });
  }
  const b = await readBoxes(op, `${arg}.boxes`, p.boxes);
  const s = await readInput(op, `${arg}.scores`, p.scores, { rank: 1 });
  const l = await readInput(op, `${arg}.labels`, p.labels, { rank: 1, kind: 'int' });
  lengthCheck(op, `${arg}.scores`, s.shape, b.n, 'predicted');
  lengthCheck(op, `${arg}.labels`, l.shape, b.n, 'predicted');
  return { boxes: convertBoxes(op, `${arg}.boxes`, b.data, from, to), scores: s.data, labels: l.data };
}

/** Reads one image's ground truth. @internal */
export async function readTarget(op: string, arg: string, t: DetectionTarget, from: BoxFormat, to: 'xywh' | 'xyxy'): Promise<ReadTarget> {
  if (t === null || typeof t !== 'object') {
    throw new FoveaError({ op, arg, expected: 'an object {boxes, labels, iscrowd?, area?, difficult?}', got: String(t) });
  }
  const b = await readBoxes(op, `${arg}.boxes`, t.boxes);
  const l = await readInput(op, `${arg}.labels`, t.labels, { rank: 1, kind: 'int' });
  lengthCheck(op, `${arg}.labels`, l.shape, b.n, 'target');
  const opt = async (name: 'iscrowd' | 'area' | 'difficult'): Promise<ArrayLike<number> | null> => {
    const v = t[name];
    if (v === undefined || v === null) return null;
    const r = await readInput(op, `${arg}.${name}`, v, { rank: 1, kind: name === 'area' ? 'float' : 'bool' });
    lengthCheck(op, `${arg}.${name}`, r.shape, b.n, 'target');
    if (name === 'area') {
      for (let i = 0; i < r.data.length; i++) {
        if (r.data[i]! < 0) throw new FoveaError({ op, arg: `${arg}.area`, expected: 'areas >= 0', got: `${r.data[i]} at index ${i}` });
      }
    }
    return r.data;
  };
  return {
    boxes: convertBoxes(op, `${arg}.boxes`, b.data, from, to),
    labels: l.data,
    iscrowd: await opt('iscrowd'),
    area: await opt('area'),
    difficult: await opt('difficult'),
  };
}

/** Checks that preds and targets are arrays of equal length (one entry per image). @internal */
export function checkImageLists(op: string, preds: unknown, targets: unknown): number {
  if (!Array.isArray(preds)) throw new FoveaError({ op, arg: 'preds', expected: 'an array with one entry per image', got: typeof preds });
  if (!Array.isArray(targets)) throw new FoveaError({ op, arg: 'targets', expected: 'an array with one entry per image', got: typeof targets });
  if (preds.length !== targets.length) {
    throw new FoveaError({ op, arg: 'targets', expected: `${preds.length} entries (one per image of preds)`, got: `${targets.length}` });
  }
  return preds.length;
}
