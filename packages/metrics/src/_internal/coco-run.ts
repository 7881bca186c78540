/** evaluate → accumulate → summarize, packaged as a {@link CocoEvalResult}. */
import type { CocoEvalParams, CocoEvalResult, CocoStats } from '../detection/coco-types.js';
import { accumulate, summarize, summarizeOne } from './coco-accumulate.js';
import { evaluate, type DtTable, type GtTable } from './coco-engine.js';

/** Names of pycocotools' 12 box statistics, in order. @internal */
export const STAT_NAMES = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl'] as const;

/** Runs the whole evaluation. @internal */
export function runCocoEval(gt: GtTable, dt: DtTable, p: CocoEvalParams, catNames?: Map<number, string>): CocoEvalResult {
  const ev = evaluate(gt, dt, p);
  const acc = accumulate(ev);
  const stats = summarize(acc, p);
  const named = Object.fromEntries(STAT_NAMES.map((n, i) => [n, stats[i]!])) as unknown as CocoStats;
  const md = p.maxDets[2]!;
  const perCategory = p.useCats
    ? p.catIds.map((categoryId, k) => {
        const one = (ap: boolean, iou: number | null): number => summarizeOne(acc, p, ap, iou, 'all', md, [k]);
        const name = catNames?.get(categoryId);
        return {
          categoryId,
          ...(name !== undefined ? { name } : {}),
          AP: summarizeOne(acc, p, true, null, 'all', 100, [k]),
          AP50: one(true, 0.5),
          AP75: one(true, 0.75),
          AR100: one(false, null),
        };
      })
    : [];
  return { stats, named, counts: acc.counts, precision: acc.precision, recall: acc.recall, scores: acc.scores, perCategory, params: p };
}
