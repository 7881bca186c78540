import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Sequential } from '@fovea/core';
import { ConvNet, Dropout, FeatureExtractor, Linear, ResNet, fineTuneParamGroups, freeze, replaceHead, unfreeze } from '../index.js';

const small = () => new ResNet({ block: 'basic', layers: [1, 1], widths: [4, 8], stem: 'small', numClasses: 3, inChannels: 1 });

describe('transfer learning helpers', () => {
  it('freeze leaves the named head trainable and pins frozen BatchNorm in eval; unfreeze undoes it', () => {
    const net = small();
    const frozen = freeze(net, { except: ['fc'] });
    expect(frozen).toContain('conv1.weight');
    expect(net.trainableParameters()).toEqual([net.fc.weight, net.fc.bias]);
    net.train();
    expect(net.bn1.training).toBe(false);
    expect(net.fc.training).toBe(true);
    tf.tidy(() => {
      // frozen BN statistics do not move in training mode
      const before = net.bn1.runningMean!.dataSync().slice();
      net.forward(tf.randomNormal([2, 6, 6, 1]));
      expect(Array.from(net.bn1.runningMean!.dataSync())).toEqual(Array.from(before));
    });
    unfreeze(net, { only: ['layer2'] });
    expect(net.trainableParameters().length).toBe(2 + net.getModule('layer2')!.parameters().length);
    unfreeze(net);
    net.train();
    expect(net.bn1.training).toBe(true);
    expect(() => freeze(net, { except: ['head'] })).toThrow(/prefixes naming modules or parameters/);
    net.dispose();
  });

  it('replaceHead swaps the classifier (dotted names too) and disposes the old one', () => {
    const net = small();
    const old = net.fc.weight;
    replaceHead(net, 'fc', new Linear(8, 7));
    expect(old.isDisposed).toBe(true);
    expect(net.fc.outFeatures).toBe(7);
    tf.tidy(() => {
      expect(net.forward(tf.zeros([1, 6, 6, 1])).shape).toEqual([1, 7]);
    });
    const conv = new ConvNet({ features: [4, 'M'], inChannels: 1, numClasses: 5, avgpoolSize: [2, 2], hidden: [6] });
    replaceHead(conv, 'classifier.3', new Linear(6, 2));
    tf.tidy(() => {
      expect(conv.forward(tf.zeros([1, 8, 8, 1])).shape).toEqual([1, 2]);
    });
    const spare = new Linear(6, 2);
    expect(() => replaceHead(conv, 'classifier.9', spare)).toThrow(/replaceHead: name must be a child module/);
    spare.dispose();
    net.dispose();
    conv.dispose();
  });

  it('FeatureExtractor returns frozen backbone features; fineTuneParamGroups splits head and backbone', () => {
    const net = small();
    const fxr = new FeatureExtractor(net);
    expect(fxr.trainableParameters()).toEqual([]);
    tf.tidy(() => {
      expect(fxr.forward(tf.zeros([2, 6, 6, 1])).shape).toEqual([2, 8]);
    });
    unfreeze(net);
    const groups = fineTuneParamGroups(net, { head: ['fc'], backboneLr: 1e-4, headLr: 1e-2, weightDecay: 0 });
    expect(groups.map((g) => g.lr)).toEqual([1e-4, 1e-2]);
    expect(groups[1]!.params).toEqual([net.fc.weight, net.fc.bias]);
    expect(groups[0]!.params.length + 2).toBe(net.parameters().length);
    expect(() => fineTuneParamGroups(net, { head: ['classifier'] })).toThrow(/prefixes naming parameters/);
    fxr.dispose();
  });

  it('FeatureExtractor takes a Sequential layer, runs it in eval mode (no dropout) and keeps the mode', () => {
    const seq = new Sequential(new Linear(4, 8), new Dropout(0.9), new Linear(8, 2));
    const fx2 = new FeatureExtractor(seq, { layer: '1' });
    seq.train();
    tf.tidy(() => {
      const x = tf.ones([3, 4]);
      const a = fx2.forward(x);
      expect(a.shape).toEqual([3, 8]);
      expect(Array.from(a.dataSync())).toEqual(Array.from(fx2.forward(x).dataSync())); // no dropout
    });
    expect(seq.training).toBe(true);
    const res = small();
    expect(() => new FeatureExtractor(res, { layer: 'fc' })).toThrow(/options.layer must be a child of a Sequential backbone/);
    res.dispose();
    fx2.dispose();
  });
});
