import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Generator, conv2dWeightLayout, linearWeightLayout, nchwToNhwc, nhwcToNchw, type StateDict } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { ResNet, resnet18, resnet50 } from '../index.js';
import { fx, onGradBackend, t } from '../../test/helpers.js';

function shapes(sd: StateDict): Record<string, number[]> {
  return Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.shape]));
}

describe('ResNet', () => {
  it("resnet18 and resnet50 have torchvision's state-dict keys, order and shapes", () => {
    for (const [name, make] of [
      ['resnet18', () => resnet18({ numClasses: 10 })],
      ['resnet50', () => resnet50()],
    ] as const) {
      const net = make();
      tf.tidy(() => {
        const sd = net.stateDict();
        expect(Object.keys(sd)).toEqual(Object.keys(fx.torchvision_shapes[name]));
        expect(shapes(sd)).toEqual(fx.torchvision_shapes[name]);
      });
      net.dispose();
    }
  });

  it('matches a torchvision-built ResNet in eval and training mode, gradients included', async () => {
    for (const c of fx.resnet) {
      const net = new ResNet({ block: c.block, layers: c.layers, widths: c.widths, stem: c.stem, numClasses: 5, inChannels: 3 });
      await onGradBackend(() => {
        tf.tidy(() => {
          const sd: StateDict = Object.fromEntries(Object.entries(c.state_dict).map(([k, v]) => [k, t(v as never)]));
          net.loadStateDict(sd);
          const x = nchwToNhwc(t(c.x));
          net.eval();
          expectClose(net.forward(x), t(c.y_eval), { atol: 1e-4, rtol: 1e-4 });
          net.train();
          const seed = t(c.seed);
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(net.forward(x), seed)) as tf.Scalar, [net.conv1.weight, net.fc.weight]);
          expectClose(tf.sum(tf.mul(t(c.y_train), seed)), value, { atol: 1e-3, rtol: 1e-4 });
          expectClose(conv2dWeightLayout.toTorch(grads[net.conv1.weight.name]!), t(c.dconv1), { atol: 1e-3, rtol: 1e-3 });
          expectClose(linearWeightLayout.toTorch(grads[net.fc.weight.name]!), t(c.dfc), { atol: 1e-3, rtol: 1e-3 });
          const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(net.forward(v), seed)))(x);
          expectClose(nhwcToNchw(dx), t(c.dx), { atol: 1e-3, rtol: 1e-3 });
        });
      });
      net.dispose();
    }
  });

  it('initialises like torchvision (seeded), with zero-init residual BN', () => {
    const a = new ResNet({ block: 'basic', layers: [1], widths: [4], stem: 'small', numClasses: 2, zeroInitResidual: true, generator: new Generator(1) });
    const b = new ResNet({ block: 'basic', layers: [1], widths: [4], stem: 'small', numClasses: 2, zeroInitResidual: true, generator: new Generator(1) });
    tf.tidy(() => {
      expectClose(a.conv1.weight, b.conv1.weight, { atol: 0 });
      const bn2 = a.getModule('layer1')!.getModule('0')!.getModule('bn2') as unknown as { weight: tf.Tensor };
      expect(Array.from(bn2.weight.dataSync())).toEqual([0, 0, 0, 0]);
      // Kaiming normal, fan_out = 4·3·3: std = √(2/36)
      const w = Array.from(a.getModule('layer1')!.getModule('0')!.getModule('conv1')!.parameters()[0]!.dataSync());
      const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
      expect(std).toBeGreaterThan(0.1);
      expect(std).toBeLessThan(0.4);
      expect(a.features(tf.zeros([2, 8, 8, 3])).shape).toEqual([2, 4]);
    });
    a.dispose();
    b.dispose();
  });

  it('rejects a stage count that does not match the widths', () => {
    expect(() => new ResNet({ block: 'basic', layers: [1, 1, 1] })).toThrow(/one block count per stage \(4 stages\)/);
  });
});
