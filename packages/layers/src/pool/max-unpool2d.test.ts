import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { MaxUnpool2d, maxPool2dWithIndices, maxUnpool2d } from '../index.js';
import { rand } from '../../test/helpers.js';

describe('maxUnpool2d', () => {
  it('puts each pooled value back where it came from (odd sizes with outputSize)', () => {
    tf.tidy(() => {
      const x = rand([2, 7, 5, 3], 4);
      const { output, indices } = maxPool2dWithIndices(x, { kernelSize: 2 });
      const y = maxUnpool2d(output, indices, { kernelSize: 2, outputSize: [7, 5] });
      expect(y.shape).toEqual([2, 7, 5, 3]);
      // y is x where x was a window maximum, else 0
      const xs = x.dataSync();
      const want = new Float32Array(xs.length);
      const [, ho, wo] = output.shape;
      const id = indices.dataSync();
      for (let n = 0; n < 2; n++)
        for (let i = 0; i < ho; i++)
          for (let j = 0; j < wo; j++)
            for (let c = 0; c < 3; c++) {
              const at = (n * 35 + id[((n * ho + i) * wo + j) * 3 + c]!) * 3 + c;
              want[at] = xs[at]!;
            }
      expectClose(y, want, { atol: 0 });
    });
  });

  it('gathers the gradient at the indices', () => {
    tf.tidy(() => {
      const v = tf.tensor4d([3, 4], [1, 1, 2, 1]);
      const idx = tf.tensor4d([1, 6], [1, 1, 2, 1], 'int32');
      const seed = tf.tensor4d([10, 20, 30, 40, 50, 60, 70, 80], [1, 2, 4, 1]);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maxUnpool2d(a, idx, { kernelSize: 2 }), seed)))(v);
      expect(Array.from(g.dataSync())).toEqual([20, 70]);
    });
  });

  it('validates indices and output size; the module takes outputSize per call', () => {
    const m = new MaxUnpool2d(2);
    tf.tidy(() => {
      const v = tf.zeros([1, 2, 2, 1]);
      expect(() => maxUnpool2d(v, tf.zeros([1, 2, 2, 1]), { kernelSize: 2 })).toThrow(/dtype int32/);
      expect(() => maxUnpool2d(v, tf.zeros([1, 2, 2, 1], 'int32'), { kernelSize: 2, outputSize: [9, 4] })).toThrow(/within a stride/);
      expect(m.forward(v, tf.zeros([1, 2, 2, 1], 'int32'), [5, 5]).shape).toEqual([1, 5, 5, 1]);
    });
  });
});
