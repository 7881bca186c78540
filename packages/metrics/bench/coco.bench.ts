/**
 * COCO box evaluation on the synthetic speed set (`../shared/bench/coco_synth.py`:
 * 5,000 images, 39,905 annotations, 73,176 detections, 80 categories), generated
 * into out/coco-synth/ when missing. The timed call is `cocoEvaluate` on the
 * parsed JSON: validation, indexing, evaluate, accumulate and summarize.
 * pycocotools' evaluate + accumulate takes 13.2 s on this set (the issue's
 * measurement; not installable beside torch here, so there is no twin). Every
 * run checks the 12 statistics against pycocotools' (fixtures/coco.json).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cocoEvaluate, type CocoGroundTruth, type CocoResult } from '@fovea/metrics';
import type { BenchSuite } from '../../../tools/bench/src/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const setDir = join(repo, 'out', 'coco-synth');
const generator = resolve(repo, '../shared/bench/coco_synth.py');

function ensureSet(): void {
  if (existsSync(join(setDir, 'gt.json')) && existsSync(join(setDir, 'dt.json'))) return;
  if (!existsSync(generator)) throw new Error(`coco bench: ${generator} not found (needed to write ${setDir})`);
  const r = spawnSync('python3', [generator, setDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`coco bench: coco_synth.py failed: ${r.stderr}`);
}

const suite: BenchSuite = {
  package: 'metrics',
  cases: [
    {
      op: 'cocoEvaluate (bbox, 12 stats)',
      shape: '5000 images, 39905 gts, 73176 dets, 80 cats (pycocotools: 13.2 s)',
      backends: ['wasm'], // pure JavaScript on typed arrays: the backend does not matter; wasm is Node's default
      warmup: 1,
      runs: 5,
      setup: () => {
        ensureSet();
        const gt = JSON.parse(readFileSync(join(setDir, 'gt.json'), 'utf8')) as CocoGroundTruth;
        const dt = JSON.parse(readFileSync(join(setDir, 'dt.json'), 'utf8')) as CocoResult[];
        const want = (JSON.parse(readFileSync(join(here, '../fixtures/coco.json'), 'utf8')) as { synthetic: { stats: number[] } }).synthetic.stats;
        return {
          run: () => {
            const { stats } = cocoEvaluate(gt, dt);
            const worst = Math.max(...stats.map((s, i) => Math.abs(s - want[i]!)));
            if (!(worst < 1e-12)) throw new Error(`coco bench: statistics differ from pycocotools by ${worst}`);
          },
        };
      },
    },
  ],
};

export default suite;
