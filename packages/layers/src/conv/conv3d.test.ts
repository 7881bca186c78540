import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { conv3dWeightLayout, nchwToNhwc, nhwcToNchw } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { Conv3d, conv3d } from '../index.js';
import { fx, onGradBackend, t } from '../../test/helpers.js';

describe('conv3d', () => {
  it('matches PyTorch F.conv3d, gradients included (stride, padding incl. same, dilation, groups)', async () => {
    await onGradBackend(() => {
      for (const c of fx.conv3d) {
        tf.tidy(() => {
          const x = nchwToNhwc(t(c.x));
          const w = conv3dWeightLayout.fromTorch(t(c.weight));
          const b = c.bias ? t(c.bias) : null;
          const opts = { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups };
          const seed = nchwToNhwc(t(c.seed));
          const f = (xv: tf.Tensor, wv: tf.Tensor, bv?: tf.Tensor) => tf.sum(tf.mul(conv3d(xv, wv, bv ?? null, opts), seed));
          expectClose(nhwcToNchw(conv3d(x, w, b, opts)), t(c.y), { atol: 1e-4, rtol: 1e-4 });
          const grads = b ? tf.grads((xv, wv, bv) => f(xv, wv, bv))([x, w, b]) : tf.grads((xv, wv) => f(xv, wv))([x, w]);
          expectClose(nhwcToNchw(grads[0]!), t(c.dx), { atol: 1e-3, rtol: 1e-3 });
          expectClose(conv3dWeightLayout.toTorch(grads[1]!), t(c.dweight), { atol: 1e-3, rtol: 1e-3 });
          if (b) expectClose(grads[2]!, t(c.dbias), { atol: 1e-3, rtol: 1e-3 });
        });
      }
    });
  });

  it('rejects mismatched channels and non-5-D input', () => {
    tf.tidy(() => {
      expect(() => conv3d(tf.zeros([1, 4, 4, 4, 2]), tf.zeros([3, 3, 3, 3, 1]))).toThrow(/conv3d: weight must be/);
      expect(() => conv3d(tf.zeros([1, 4, 4, 2]), tf.zeros([3, 3, 3, 2, 1]))).toThrow(/conv3d: x must be rank 5/);
    });
  });
});

describe('Conv3d', () => {
  it('has PyTorch state-dict shapes', () => {
    const m = new Conv3d(2, 4, [3, 1, 2], { padding: 1 });
    const sd = m.stateDict();
    expect(sd['weight']!.shape).toEqual([4, 2, 3, 1, 2]);
    const x = tf.zeros([1, 4, 4, 4, 2]);
    const y = m.forward(x);
    expect(y.shape).toEqual([1, 4, 6, 5, 4]);
    tf.dispose([...Object.values(sd), x, y]);
    m.dispose();
  });
});
