import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import { Adam } from '@fovea/optim';
import { describe, expect, it } from 'vitest';
import { scoped } from '../../test/helpers.js';
import { tinyBatch } from '../../test/models.js';
import { FCN } from './fcn.js';

describe('FCN', () => {
  it('maps images to per-pixel logits at full resolution, also for odd sizes', () => {
    const fcn = new FCN({ numClasses: 6, backbone: { widths: [8, 16, 16] }, decoderChannels: 8, generator: new Generator(0) });
    for (const [h, w] of [[32, 32], [27, 41]] as const) {
      const x = tf.zeros([2, h, w, 3]);
      const y = fcn.forward(x);
      const s = fcn.segment(x);
      expect(y.shape).toEqual([2, h, w, 6]);
      expect(s.shape).toEqual([2, h, w]);
      expect(s.dtype).toBe('int32');
      tf.dispose([x, y, s]);
    }
    fcn.dispose();
  });

  it('starts its transposed convolutions as bilinear upsampling', () =>
    scoped(async () => {
      const fcn = new FCN({ numClasses: 3, backbone: { widths: [4, 4] }, decoderChannels: 4, generator: new Generator(0) });
      const up = fcn.getModule('up_scores') as unknown as { forward(x: tf.Tensor): tf.Tensor };
      // a ramp along x upsampled 2×: interior values interpolate linearly (FCN's bilinear initialisation)
      const ramp = tf.tile(tf.reshape(tf.range(0, 8), [1, 1, 8, 1]), [1, 4, 1, 3]);
      const out = up.forward(ramp);
      const row = Array.from(await tf.slice(out, [0, 2, 0, 0], [1, 1, 16, 1]).data());
      for (let j = 1; j < 15; j++) expect(row[j]).toBeCloseTo((j - 0.5) / 2, 5);
      fcn.dispose();
    }));

  it('overfits one batch with per-pixel cross-entropy (loss falls tenfold)', async () => {
    const batch = tinyBatch(2, 1);
    const fcn = new FCN({ numClasses: 6, backbone: { widths: [8, 16, 16] }, decoderChannels: 8, generator: new Generator(1) });
    const opt = new Adam(fcn.trainableParameters(), { lr: 1e-2 });
    const losses: number[] = [];
    for (let s = 0; s < 60; s++) {
      const { value, grads } = tf.variableGrads(() => fcn.loss(fcn.forward(batch.images), batch.semantic), fcn.trainableParameters());
      opt.step(grads);
      losses.push((await value.data())[0]!);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(losses[0]).toBeGreaterThan(1); // ≈ log 6
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]! / 10);
    const a = fcn.segment(batch.images), b = fcn.segment(batch.images);
    expect(await a.array()).toEqual(await b.array());
    tf.dispose([a, b]);
    opt.dispose();
    batch.dispose();
    fcn.dispose();
  });

  it('ignores the ignore index and rejects bad input', () =>
    scoped(() => {
      const fcn = new FCN({ numClasses: 2, backbone: { widths: [4, 4] }, decoderChannels: 4, ignoreIndex: 255 });
      const logits = tf.tensor4d([[[[5, 0], [0, 5]]]]); // [1, 1, 2, 2]
      const loss = fcn.loss(logits, tf.tensor3d([[[0, 255]]], [1, 1, 2], 'int32'));
      expect(loss.dataSync()[0]).toBeCloseTo(Math.log(1 + Math.exp(-5)), 5); // only the first pixel counts
      const bad = tf.zeros([1, 8, 8]);
      expect(() => fcn.forward(bad)).toThrow('FCN.forward: images must be');
      expect(() => new FCN({ numClasses: 0 })).toThrow('FCN: options.numClasses must be');
      fcn.dispose();
    }));
});
