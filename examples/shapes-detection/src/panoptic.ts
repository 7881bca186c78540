/**
 * Panoptic segmentation of the shapes scenes: the Mask R-CNN of
 * mask-rcnn.ts finds the things (circles, squares, triangles), the FCN of
 * fcn.ts labels the stuff (sky, ground), and @fovea/detection's
 * `PanopticSegmenter` merges them into one segment map per image. Prints the
 * panoptic quality (@fovea/metrics, panopticapi's PQ/SQ/RQ) on 300 held-out
 * scenes and writes `out/panoptic.png` (image | ground truth | prediction).
 * Needs `out/mask-rcnn.safetensors` and `out/fcn.safetensors`: run those two
 * scripts first.
 *
 *   pnpm --filter @fovea/example-shapes-detection panoptic      (after `pnpm build`)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { initBackend, loadModule } from '@fovea/core';
import { FCN, MaskRCNN, PanopticSegmenter, SHAPE_CLASSES, STUFF_CLASSES, shapesPanopticSegments, shapesToTargets } from '@fovea/detection';
import { PanopticQuality } from '@fovea/metrics';
import { OUT, SIZE, report, testScenes } from './common.js';
import { FCN_OPTIONS, MASK_RCNN } from './configs.js';
import { CLASS_COLORS, grid, instanceColor, labelImage, savePng, sceneImage } from './png.js';

const THINGS = SHAPE_CLASSES.map((_, i) => i + 1); // 1, 2, 3
const STUFF = STUFF_CLASSES.map((_, i) => SHAPE_CLASSES.length + 1 + i); // 4, 5

/** Colours a segment map: things by instance, stuff by class, unlabeled black. */
function segmentColors(categories: number[]): (v: number) => readonly number[] {
  return (v) => (v < 0 ? [0, 0, 0] : STUFF.includes(categories[v]!) ? CLASS_COLORS[categories[v]!]! : instanceColor(v));
}

async function main(): Promise<void> {
  const info = await initBackend();
  const lines: string[] = [];
  report(lines, `Panoptic segmentation (Mask R-CNN things + FCN stuff) on ${SIZE}×${SIZE} shapes scenes — ${info.summary}`);
  const paths = { mask: resolve(OUT, 'mask-rcnn.safetensors'), fcn: resolve(OUT, 'fcn.safetensors') };
  for (const p of Object.values(paths)) if (!existsSync(p)) throw new Error(`${p} is missing: run the mask-rcnn and fcn scripts first`);
  const things = new MaskRCNN({ ...MASK_RCNN });
  const stuff = new FCN({ ...FCN_OPTIONS });
  await loadModule(things, paths.mask);
  await loadModule(stuff, paths.fcn);
  things.eval();
  stuff.eval();
  const segmenter = new PanopticSegmenter(things, stuff, { stuffClasses: STUFF, scoreThreshold: 0.5, overlapThreshold: 0.5, stuffAreaThreshold: 16 });
  const pq = new PanopticQuality({ numClasses: FCN_OPTIONS.numClasses, things: THINGS });
  const scenes = testScenes();
  const shown: { segments: Int32Array; categories: number[] }[] = [];
  /** A flat `[SIZE * SIZE]` segment map as the `[SIZE, SIZE]` rows PanopticQuality takes. */
  const asRows = (flat: ArrayLike<number>): number[][] => Array.from({ length: SIZE }, (_, y) => Array.from({ length: SIZE }, (_, x) => flat[y * SIZE + x]!));
  const t0 = performance.now();
  for (let i = 0; i < scenes.length; i += 25) {
    const part = scenes.slice(i, i + 25);
    const batch = shapesToTargets(part);
    const results = await segmenter.segment(batch.images);
    for (let j = 0; j < part.length; j++) {
      const r = results[j]!;
      const segments = (await r.segments.data()) as Int32Array;
      const categories = r.segmentsInfo.map((s) => s.category);
      const gt = shapesPanopticSegments(part[j]!);
      await pq.update({ segments: asRows(segments), categories }, { segments: asRows(gt.segments), categories: gt.categories });
      if (shown.length < 6) shown.push({ segments, categories });
      r.segments.dispose();
    }
    batch.dispose();
  }
  const r = pq.compute();
  report(lines, `held-out: ${scenes.length} scenes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  report(lines, `PQ ${r.pq.toFixed(4)} (SQ ${r.sq.toFixed(4)}, RQ ${r.rq.toFixed(4)}); things PQ ${r.things.pq.toFixed(4)}, stuff PQ ${r.stuff.pq.toFixed(4)}`);
  const names = ['unlabeled', ...SHAPE_CLASSES, ...STUFF_CLASSES];
  report(lines, `per-class PQ: ${r.perClass.pq.map((v, k) => (Number.isNaN(v) ? null : `${names[k]} ${v.toFixed(3)}`)).filter(Boolean).join(', ')}`);
  const S = 3;
  const rows = scenes.slice(0, shown.length).map((s, i) => {
    const gt = shapesPanopticSegments(s);
    return [
      sceneImage(s, S),
      labelImage(gt.segments, SIZE, SIZE, S, segmentColors(gt.categories)),
      labelImage(shown[i]!.segments, SIZE, SIZE, S, segmentColors(shown[i]!.categories)),
    ];
  });
  savePng(resolve(OUT, 'panoptic.png'), grid(rows, ['image', 'ground truth', 'panoptic']));
  writeFileSync(resolve(OUT, 'panoptic.txt'), `${lines.join('\n')}\n`);
  console.log(`wrote ${resolve(OUT, 'panoptic.png')} and ${resolve(OUT, 'panoptic.txt')}`);
  things.dispose();
  stuff.dispose();
}

await main();
