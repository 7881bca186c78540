import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { T, close, fixtures, read, scoped } from '../../test/helpers.js';
import { AnchorGenerator } from '../anchors/anchor-generator.js';
import { sigmoidFocalLoss } from '../losses/sigmoid-focal-loss.js';
import { Matcher } from '../matcher/matcher.js';
import { decodeBoxes, encodeBoxes } from './box-coder.js';

describe(`anchors, box coder, matcher, focal loss on ${tf.getBackend()}`, () => {
  it('anchors and the box coder match torchvision', () =>
    scoped(async () => {
      const gen = new AnchorGenerator({ sizes: [[32, 64], [128]], aspectRatios: [[0.5, 1, 2], [1, 3]] });
      close(await read(gen.forward([96, 128], [[12, 16], [6, 8]])), fixtures.anchor_generator.anchors.data, 0);
      const fx = fixtures.decode_multi;
      close(await read(decodeBoxes(T(fx.rel_codes), T(fx.boxes), [10, 10, 5, 5])), fx.pred_boxes.data, 1e-3, 1e-5);
      close(await read(encodeBoxes(tf.tensor2d([[2, 0, 12, 20]]), tf.tensor2d([[0, 0, 10, 10]]), [1, 1, 1, 1])), [0.2, 0.5, 0, Math.log(2)], 1e-6);
    }));

  it('matcher and focal loss match torchvision', () =>
    scoped(async () => {
      const m = fixtures.matcher;
      expect(await read(await new Matcher({ highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: true }).match(T(m.iou)))).toEqual(m.allow.data);
      const f = fixtures.focal;
      close(await read(sigmoidFocalLoss(T(f.inputs), T(f.targets), { reduction: 'sum' })), f.loss.data, 1e-5);
      close(await read(tf.grad((v: tf.Tensor) => sigmoidFocalLoss(v, T(f.targets), { reduction: 'sum' }))(T(f.inputs))), f.grad.data, 1e-5);
    }));
});
