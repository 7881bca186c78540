import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { nchwToNhwc, nhwcToNchw } from '../interop/channels.js';
import { prelu, PReLU } from './prelu.js';

type Fx = { name: string; x: JsonTensor; y: JsonTensor; dy: JsonTensor; dx: JsonTensor; weight: JsonTensor; dweight: JsonTensor };
const fx = JSON.parse(readFileSync(new URL('../../fixtures/core_activations.json', import.meta.url), 'utf8')) as { activations: Fx[] };

describe('prelu', () => {
  for (const name of ['prelu_nchw_c', 'prelu_nchw_1']) {
    it(`matches F.prelu with its gradients (${name}) in NCHW and NHWC`, () => tf.tidy(() => {
      const c = fx.activations.find((a) => a.name === name)!;
      const [x, w, dy] = [fromJson(c.x), fromJson(c.weight), fromJson(c.dy)];
      const f = (t: tf.Tensor, wt: tf.Tensor) => tf.sum(tf.mul(prelu(t, wt, { channelAxis: 1 }), dy));
      expectClose(prelu(x, w, { channelAxis: 1 }), fromJson(c.y));
      const [dx, dw] = tf.grads(f)([x, w]);
      expectClose(dx!, fromJson(c.dx));
      expectClose(dw!, fromJson(c.dweight));
      // channels last (the default) gives the same numbers
      expectClose(nhwcToNchw(prelu(nchwToNhwc(x), w)), fromJson(c.y));
    }));
  }
  it('module owns a learnable weight with PyTorch’s key', () => {
    const act = new PReLU({ numParameters: 3, init: 0.1 });
    tf.tidy(() => {
      expectClose(act.forward(tf.tensor2d([[-1, -2, 3]])), [[-0.1, -0.2, 3]]);
      expect(Object.keys(act.stateDict())).toEqual(['weight']);
    });
    const sd = act.stateDict();
    expect(sd.weight!.shape).toEqual([3]);
    tf.dispose(Object.values(sd));
    act.dispose();
  });
  it('rejects a weight that does not match the channels', () => tf.tidy(() => {
    expect(() => prelu(tf.zeros([2, 4]), tf.ones([3]))).toThrow('prelu: weight must be shape [1] or [4] (channels on axis 1 of x [2, 4]), got shape [3]');
    expect(() => prelu(tf.zeros([2, 4]), tf.ones([2, 2]))).toThrow('prelu: weight must be rank 1');
  }));
});
