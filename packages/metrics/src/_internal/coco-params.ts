/** COCO evaluation parameters: pycocotools' defaults, computed bit-for-bit as numpy does. */
import { checkNumber, FoveaError, describeValue } from '@fovea/core';
import type { CocoAreaRange, CocoEvalOptions, CocoEvalParams } from '../detection/coco-types.js';

/** `np.linspace(start, stop, num)` exactly: `i * step + start`, the last value `stop`. @internal */
export function linspace(start: number, stop: number, num: number): number[] {
  const div = num - 1;
  const step = (stop - start) / div;
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(i * step + start);
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** pycocotools' `Params.setDetParams` IoU thresholds `[.5:.05:.95]`. @internal */
export const DEFAULT_IOU_THRS = linspace(0.5, 0.95, Math.round((0.95 - 0.5) / 0.05) + 1);
/** pycocotools' recall thresholds `[0:.01:1]`. @internal */
export const DEFAULT_REC_THRS = linspace(0.0, 1.0, Math.round((1.0 - 0.0) / 0.01) + 1);
/** pycocotools' area ranges. @internal */
export const DEFAULT_AREA_RANGES: CocoAreaRange[] = [
  { label: 'all', range: [0 ** 2, 1e5 ** 2] },
  { label: 'small', range: [0 ** 2, 32 ** 2] },
  { label: 'medium', range: [32 ** 2, 96 ** 2] },
  { label: 'large', range: [96 ** 2, 1e5 ** 2] },
];

function numberList(op: string, arg: string, v: unknown, spec: Parameters<typeof checkNumber>[3], minLen = 1): number[] {
  if (!Array.isArray(v) || v.length < minLen) {
    throw new FoveaError({ op, arg, expected: `an array of at least ${minLen} number(s)`, got: describeValue(v) });
  }
  return v.map((x, i) => checkNumber(op, `${arg}[${i}]`, x, spec));
}

/** Sorted unique values (pycocotools' `np.unique`). @internal */
export function uniqueSorted(v: Iterable<number>): number[] {
  return [...new Set(v)].sort((a, b) => a - b);
}

/**
 * Resolves evaluation options against the ground truth's image and category
 * ids, validating each field.
 * @internal
 */
export function resolveParams(op: string, o: CocoEvalOptions, gtImgIds: number[], gtCatIds: number[]): CocoEvalParams {
  if (o === null || typeof o !== 'object') throw new FoveaError({ op, arg: 'options', expected: 'an object', got: describeValue(o) });
  const iouThresholds = o.iouThresholds ? numberList(op, 'options.iouThresholds', o.iouThresholds, { min: 0, max: 1 }) : DEFAULT_IOU_THRS.slice();
  const recallThresholds = o.recallThresholds
    ? numberList(op, 'options.recallThresholds', o.recallThresholds, { min: 0, max: 1 })
    : DEFAULT_REC_THRS.slice();
  const maxDets = o.maxDets ? numberList(op, 'options.maxDets', o.maxDets, { integer: true, min: 1 }).sort((a, b) => a - b) : [1, 10, 100];
  if (maxDets.length !== 3) {
    throw new FoveaError({ op, arg: 'options.maxDets', expected: '3 values (the summary reads maxDets[0..2])', got: describeValue(o.maxDets) });
  }
  let areaRanges = DEFAULT_AREA_RANGES.map((a) => ({ label: a.label, range: [a.range[0], a.range[1]] as [number, number] }));
  if (o.areaRanges) {
    if (!Array.isArray(o.areaRanges) || o.areaRanges.length === 0) {
      throw new FoveaError({ op, arg: 'options.areaRanges', expected: 'a non-empty array of {label, range}', got: describeValue(o.areaRanges) });
    }
    areaRanges = o.areaRanges.map((a, i) => {
      const arg = `options.areaRanges[${i}]`;
      if (!a || typeof a.label !== 'string' || !Array.isArray(a.range) || a.range.length !== 2) {
        throw new FoveaError({ op, arg, expected: '{label: string, range: [min, max]}', got: describeValue(a) });
      }
      const lo = checkNumber(op, `${arg}.range[0]`, a.range[0], { min: 0 });
      const hi = checkNumber(op, `${arg}.range[1]`, a.range[1], { min: lo });
      return { label: a.label, range: [lo, hi] as [number, number] };
    });
  }
  const useCats = o.useCats ?? true;
  const imgIds = o.imgIds ? uniqueSorted(numberList(op, 'options.imgIds', o.imgIds, {}, 0)) : uniqueSorted(gtImgIds);
  const catIds = o.catIds ? uniqueSorted(numberList(op, 'options.catIds', o.catIds, {}, 0)) : uniqueSorted(gtCatIds);
  return { iouThresholds, recallThresholds, maxDets, areaRanges, imgIds, catIds, useCats };
}
