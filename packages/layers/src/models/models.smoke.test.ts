/** A tiny ResNet forward/backward on every lane (cpu, wasm, webgpu). */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc, type StateDict } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { ResNet } from '../index.js';
import { fx, onGradBackend, read, t } from '../../test/helpers.js';

describe('models (smoke)', () => {
  it('a torchvision-weighted ResNet gives PyTorch logits and trainable gradients', async () => {
    const c = fx.resnet[0];
    const net = new ResNet({ block: c.block, layers: c.layers, widths: c.widths, stem: c.stem, numClasses: 5 });
    const sd: StateDict = Object.fromEntries(Object.entries(c.state_dict).map(([k, v]) => [k, t(v as never)]));
    net.loadStateDict(sd);
    tf.dispose(Object.values(sd));
    const x = tf.tidy(() => nchwToNhwc(t(c.x)));
    net.eval();
    const y = net.forward(x);
    expectClose(await read(y), c.y_eval.data, { atol: 1e-4, rtol: 1e-4 });
    await onGradBackend(async () => {
      net.train();
      const { value, grads } = tf.variableGrads(() => tf.sum(net.forward(x)) as tf.Scalar, net.trainableParameters());
      expect(Object.keys(grads).length).toBe(net.trainableParameters().length);
      expect(Number.isFinite((await read(value))[0])).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);
    });
    tf.dispose([x, y]);
    net.dispose();
  });
});
