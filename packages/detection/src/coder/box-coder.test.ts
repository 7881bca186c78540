import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectNoLeaks } from '@fovea/test-utils';
import { T, fixtures, randomBoxes, rng, scoped } from '../../test/helpers.js';
import { BBOX_XFORM_CLIP, BoxCoder, decodeBoxes, encodeBoxes } from './box-coder.js';

describe('box coder', () => {
  it('encodes and decodes by hand', () =>
    scoped(() => {
      const anchor = tf.tensor2d([[0, 0, 10, 10]]);
      const d = encodeBoxes(tf.tensor2d([[2, 0, 12, 20]]), anchor, [1, 1, 1, 1]);
      expectClose(d, [[0.2, 0.5, 0, Math.log(2)]], { atol: 1e-6 });
      expectClose(encodeBoxes(tf.tensor2d([[2, 0, 12, 20]]), anchor, [10, 10, 5, 5]), [[2, 5, 0, 5 * Math.log(2)]], { atol: 1e-5 });
    }));

  it('decode inverts encode for any weights', () =>
    scoped(() => {
      const next = rng(2);
      const props = tf.tensor2d(randomBoxes(next, 50, 300, 4, 100), [50, 4]);
      const gts = tf.tensor2d(randomBoxes(next, 50, 300, 4, 100), [50, 4]);
      for (const w of [[1, 1, 1, 1], [10, 10, 5, 5], [2, 3, 0.5, 1.5]] as const) {
        const coder = new BoxCoder(w);
        expectClose(coder.decode(coder.encode(gts, props), props), gts, { atol: 1e-3 });
      }
    }));

  it('decodes class-specific codes [N, 4K] and clamps dw, dh (torchvision fixture)', () =>
    scoped(() => {
      const fx = fixtures.decode_multi;
      expectClose(decodeBoxes(T(fx.rel_codes), T(fx.boxes), [10, 10, 5, 5]), T(fx.pred_boxes), { atol: 1e-3, rtol: 1e-5 });
      const huge = decodeBoxes(tf.tensor2d([[0, 0, 100, 100]]), tf.tensor2d([[0, 0, 2, 2]]), [1, 1, 1, 1]);
      const side = 2 * Math.exp(BBOX_XFORM_CLIP);
      expectClose(huge, [[1 - side / 2, 1 - side / 2, 1 + side / 2, 1 + side / 2]], { rtol: 1e-5 });
    }));

  it('is differentiable and releases intermediates', () =>
    scoped(async () => {
      const props = tf.tensor2d([[0, 0, 10, 10]]);
      const g = tf.grad((c: tf.Tensor) => tf.sum(decodeBoxes(c, props, [1, 1, 1, 1])))(tf.zeros([1, 4]));
      expectClose(g, [[20, 20, 0, 0]]); // d(x1 + x2)/d(dx) = 2·w
      await expectNoLeaks(() => tf.keep(encodeBoxes(props, props, [1, 1, 1, 1])));
    }));

  it('rejects bad weights and shapes', () =>
    scoped(() => {
      const b = tf.zeros([2, 4]);
      expect(() => encodeBoxes(b, tf.zeros([3, 4]), [1, 1, 1, 1])).toThrow(/encodeBoxes: proposals must be shape \[N, 4\] with N = 2, got shape \[3, 4\]/);
      expect(() => new BoxCoder([1, 1, 1] as unknown as [number, number, number, number])).toThrow(/BoxCoder: weights must be four weights/);
      expect(() => decodeBoxes(tf.zeros([2, 6]), b, [1, 1, 1, 1])).toThrow(/decodeBoxes: relCodes must be shape \[N, 4·K\], got shape \[2, 6\]/);
      expect(() => encodeBoxes(b, b, [1, 0, 1, 1])).toThrow(/encodeBoxes: weights\[1\] must be a finite number > 0, got 0/);
    }));
});
