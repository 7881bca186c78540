import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { StateDict } from '@fovea/core';
import { ConvNet, alexnet, vgg } from '../index.js';
import { fx } from '../../test/helpers.js';

const shapes = (sd: StateDict) => Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.shape]));

describe('ConvNet / vgg / alexnet', () => {
  it("vgg11 with batch norm and alexnet have torchvision's keys and shapes", () => {
    for (const [name, make] of [
      ['vgg11_bn', () => vgg('vgg11', { batchNorm: true, numClasses: 10 })],
      ['alexnet', () => alexnet({ numClasses: 10 })],
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

  it('builds small nets for digits and runs them (dropout only in training)', () => {
    const net = new ConvNet({ features: [8, 'M', { conv: 16, kernel: 5, padding: 0 }, { pool: 'avg', kernel: 2 }], inChannels: 1, numClasses: 10, avgpoolSize: null, inputSize: [28, 28], hidden: [32] });
    tf.tidy(() => {
      expect(net.numFeatures).toBe(16 * 5 * 5);
      const x = tf.ones([2, 28, 28, 1]);
      net.eval();
      const a = net.forward(x).dataSync();
      const b = net.forward(x).dataSync();
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(net.forwardFeatures(x).shape).toEqual([2, 400]);
    });
    expect(() => new ConvNet({ features: [8, 'M', 'M', 'M', 'M', 'M'], inChannels: 1, avgpoolSize: null, inputSize: [16, 16] })).toThrow(/inputSize/);
    net.dispose();
  });
});
