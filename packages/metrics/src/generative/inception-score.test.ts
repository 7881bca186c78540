import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { InceptionScore, inceptionScore } from '@fovea/metrics';

interface Case {
  probs: number[][];
  splits: number;
  mean: number;
  std: number;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/dense.json', import.meta.url), 'utf8')) as { inception_score: Case[] };

describe('inceptionScore', () => {
  it('matches the reference (splits 1, N, and a dropped remainder)', async () => {
    for (const c of fx.inception_score) {
      const r = await inceptionScore(c.probs, { splits: c.splits });
      expectClose([r.mean, r.std], [c.mean, c.std], { atol: 1e-10 });
    }
  });

  it('streams', async () => {
    const c = fx.inception_score[0]!;
    const m = new InceptionScore({ splits: c.splits });
    const t = tf.tensor2d(c.probs.slice(0, 25));
    await m.update(t);
    t.dispose();
    await m.update(c.probs.slice(25));
    expectClose(m.compute().mean, c.mean, { atol: 1e-10 });
    m.reset();
    await m.update([[0.5, 0.5]]);
    expect(() => m.compute()).toThrow(/InceptionScore.compute: options.splits must be at most the number of samples \(1\), got 5/);
  });

  it('rejects non-probabilities', async () => {
    await expect(inceptionScore([[2, -1]], { splits: 1 })).rejects.toThrow(/inceptionScore: probs must be probabilities in \[0, 1\] \(apply softmax to logits first\), got 2/);
    await expect(inceptionScore([[1, 0]], { splits: 0 })).rejects.toThrow(/options.splits must be an integer >= 1, got 0/);
  });
});
