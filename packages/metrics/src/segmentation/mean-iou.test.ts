import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { MeanIoU, meanIoU } from '@fovea/metrics';

interface Case {
  preds: number[][][];
  targets: number[][][];
  num_classes: number;
  ignore_index: number;
  iou: (number | null)[];
  miou: number | null;
  accuracy: number;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/dense.json', import.meta.url), 'utf8')) as { mean_iou: Case[] };
const nan = (v: (number | null)[]): number[] => v.map((x) => (x === null ? NaN : x));

function same(got: number[], want: (number | null)[]): void {
  expect(got.map(Number.isNaN)).toEqual(want.map((x) => x === null));
  expectClose(
    got.filter((x) => !Number.isNaN(x)),
    want.filter((x): x is number => x !== null),
    { atol: 1e-12 },
  );
}

describe('meanIoU', () => {
  it('matches the one-confusion-matrix reference (absent classes NaN, ignore index 255 and -1)', async () => {
    for (const c of fx.mean_iou) {
      const r = await meanIoU(c.preds, c.targets, { numClasses: c.num_classes, ignoreIndex: c.ignore_index });
      same(r.iou, c.iou);
      expectClose(r.miou, c.miou ?? NaN, { atol: 1e-12 });
      expectClose(r.accuracy, c.accuracy, { atol: 1e-12 });
    }
  });

  it('reads int32 tensors and streams image by image', async () => {
    const c = fx.mean_iou[0]!;
    const m = new MeanIoU({ numClasses: c.num_classes, ignoreIndex: c.ignore_index });
    for (let i = 0; i < c.preds.length; i++) {
      const p = tf.tensor3d([c.preds[i]!], undefined, 'int32');
      const t = tf.tensor3d([c.targets[i]!], undefined, 'int32');
      await m.update(p, t);
      tf.dispose([p, t]);
    }
    same(m.compute().iou, c.iou);
    expect(m.confusionMatrix().flat().reduce((a, b) => a + b, 0)).toBe(c.targets.flat(2).filter((v) => v !== c.ignore_index).length);
    m.reset();
    expect(m.compute().miou).toBeNaN();
    expect(nan([null])[0]).toBeNaN();
  });

  it('rejects out-of-range labels, an ignore index inside the classes and shape mismatches', async () => {
    await expect(meanIoU([[0, 1]], [[0, 7]], { numClasses: 3, ignoreIndex: 255 })).rejects.toThrow(
      'meanIoU: targets must be labels in [0, 3) or the ignore index 255, got 7 at index [0, 1]',
    );
    await expect(meanIoU([[0, 255]], [[0, 255]], { numClasses: 3, ignoreIndex: 255 })).rejects.toThrow(/meanIoU: preds must be labels in \[0, 3\), got 255/);
    await expect(meanIoU([[0, 1]], [[0, 1, 1]], { numClasses: 3 })).rejects.toThrow('meanIoU: targets must be the shape of preds [1, 2], got shape [1, 3]');
    await expect(meanIoU([0], [0], { numClasses: 3, ignoreIndex: 1 })).rejects.toThrow(/options.ignoreIndex must be a value outside the class range \[0, 3\), got 1/);
    expect(() => new MeanIoU({ numClasses: 2.5 })).toThrow(/MeanIoU: options.numClasses must be an integer >= 1, got 2.5/);
  });
});
