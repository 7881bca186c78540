import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ConfusionMatrix, confusionMatrix } from '@fovea/metrics';

interface Case {
  preds: number[];
  targets: number[];
  num_classes: number;
  matrix: number[][];
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/sklearn.json', import.meta.url), 'utf8')) as { confusion_matrix: Case[] };

describe('confusionMatrix', () => {
  it('matches scikit-learn (rows = true class), absent classes included', async () => {
    for (const c of fx.confusion_matrix) {
      expect(await confusionMatrix(c.preds, c.targets, { numClasses: c.num_classes })).toEqual(c.matrix);
    }
  });

  it('infers C from the largest label and reads tensors', async () => {
    const p = tf.tensor1d([0, 1, 1, 2], 'int32');
    const t = tf.tensor1d([0, 1, 2, 2], 'int32');
    expect(await confusionMatrix(p, t)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ]);
    tf.dispose([p, t]);
  });

  it('streams batch by batch', async () => {
    const c = fx.confusion_matrix[0]!;
    const m = new ConfusionMatrix({ numClasses: c.num_classes });
    for (let i = 0; i < c.preds.length; i += 7) await m.update(c.preds.slice(i, i + 7), c.targets.slice(i, i + 7));
    expect(m.compute()).toEqual(c.matrix);
    m.reset();
    expect(m.compute().flat().every((v) => v === 0)).toBe(true);
  });

  it('rejects different lengths, labels out of range and a missing class count', async () => {
    await expect(confusionMatrix([0, 1, 2, 0, 1], [0, 1, 2, 0, 1, 2], { numClasses: 3 })).rejects.toThrow(
      'confusionMatrix: targets must be the length of preds (5), got shape [6]',
    );
    await expect(confusionMatrix([0, 3], [0, 1], { numClasses: 3 })).rejects.toThrow(/preds must be labels in \[0, 3\), got 3 at index 1/);
    await expect(confusionMatrix([0, -1], [0, 1])).rejects.toThrow(/preds must be labels in \[0, 2\), got -1/);
    expect(() => new ConfusionMatrix({} as { numClasses: number })).toThrow(/ConfusionMatrix: options.numClasses must be an integer >= 1, got undefined/);
    const m = new ConfusionMatrix({ numClasses: 2 });
    await expect(m.update([0, 5], [0, 1])).rejects.toThrow(/ConfusionMatrix.update: preds/);
    expect(m.compute()).toEqual([
      [0, 0],
      [0, 0],
    ]); // a bad batch adds nothing
  });
});
