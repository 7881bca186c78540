import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { FoveaError } from '../errors/fovea-error.js';
import { conv2dWeightLayout, linearWeightLayout } from '../interop/layout.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { ModuleList, Sequential } from './sequential.js';

class Lin extends Module<[tf.Tensor], tf.Tensor> {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  constructor(inF: number, outF: number, bias = true) {
    super();
    const w = tf.tidy(() => tf.reshape(tf.range(0, inF * outF), [inF, outF]));
    this.weight = this.registerParameter('weight', w, { layout: linearWeightLayout });
    this.bias = bias ? this.registerParameter('bias', tf.zeros([outF])) : this.registerParameter('bias', null);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => (this.bias ? tf.add(tf.matMul(x, this.weight), this.bias) : tf.matMul(x, this.weight)));
  }
}

class Norm extends Module<[tf.Tensor], tf.Tensor> {
  readonly runningMean: Parameter;
  constructor(c: number) {
    super();
    this.registerParameter('weight', tf.ones([c]));
    this.runningMean = this.registerBuffer('running_mean', tf.zeros([c]));
    this.registerBuffer('num_batches_tracked', tf.scalar(0, 'int32'));
    this.registerBuffer('scratch', tf.zeros([c]), { persistent: false });
  }
  forward(x: tf.Tensor): tf.Tensor {
    return x.clone();
  }
}

class Net extends Module<[tf.Tensor], tf.Tensor> {
  conv: Parameter;
  fc: Module;
  readonly bn: Norm;
  constructor() {
    super();
    this.conv = this.registerParameter('conv_w', tf.zeros([3, 3, 2, 4]), { layout: conv2dWeightLayout });
    this.bn = this.registerModule('bn', new Norm(4));
    this.fc = this.registerModule('fc', new Lin(4, 2));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return this.fc.forward(x) as tf.Tensor;
  }
}

describe('Module', () => {
  it('lists parameters, buffers and state-dict keys in PyTorch order and layouts', () => tf.tidy(() => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(['conv_w', 'bn.weight', 'fc.weight', 'fc.bias']);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['bn.running_mean', 'bn.num_batches_tracked', 'bn.scratch']);
    const sd = net.stateDict();
    expect(Object.keys(sd)).toEqual(['conv_w', 'bn.weight', 'bn.running_mean', 'bn.num_batches_tracked', 'fc.weight', 'fc.bias']);
    expect(sd['conv_w']!.shape).toEqual([4, 2, 3, 3]);
    expect(sd['fc.weight']!.shape).toEqual([2, 4]);
    // linear weight [in, out] = range -> torch [out, in] is its transpose
    expectClose(sd['fc.weight']!, [0, 2, 4, 6, 1, 3, 5, 7]);
    expect(sd['bn.num_batches_tracked']!.dtype).toBe('int32');
    expect(net.numParameters()).toBe(3 * 3 * 2 * 4 + 4 + 8 + 2);
    Object.values(sd).forEach((t) => t.dispose());
    net.dispose();
  }));

  it('round-trips a state dict and converts layouts on load', () => tf.tidy(() => {
    const a = new Net();
    const b = new Net();
    const w = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]]); // torch [out=2, in=4]
    const sd = { ...a.stateDict(), 'fc.weight': w };
    b.loadStateDict(sd);
    // internal layout is [in, out]
    expectClose((b.fc as Lin).weight, [1, 5, 2, 6, 3, 7, 4, 8]);
    const y = b.forward(tf.ones([1, 4]));
    expectClose(y, [10, 26]);
    y.dispose();
    Object.values(sd).forEach((t) => t.dispose());
    a.dispose();
    b.dispose();
  }));

  it('rejects missing/unexpected keys, wrong shapes and dtypes without writing anything', () => tf.tidy(() => {
    const net = new Net();
    const sd = net.stateDict();
    const extra = tf.zeros([1]);
    expect(() => net.loadStateDict({ ...sd, extra })).toThrow(/unexpected extra/);
    const partial = { ...sd };
    delete partial['fc.bias'];
    expect(() => net.loadStateDict(partial)).toThrow(/missing fc\.bias/);
    const res = net.loadStateDict(partial, { strict: false });
    expect(res.missingKeys).toEqual(['fc.bias']);
    const bad = tf.ones([4, 2]);
    const good = tf.fill([4, 2, 3, 3], 7);
    let err: unknown;
    try {
      net.loadStateDict({ ...sd, conv_w: good, 'fc.weight': bad });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FoveaError);
    expect((err as FoveaError).message).toMatch(/stateDict\['fc.weight'\] must be shape \[2, 4\].*got shape \[4, 2\]/);
    // conv_w was valid but must not have been written
    expect(tf.max(net.conv).dataSync()[0]).toBe(0);
    const fl = tf.zeros([]);
    expect(() => net.loadStateDict({ ...sd, 'bn.num_batches_tracked': fl })).toThrow(/dtype int32/);
    [extra, bad, good, fl, ...Object.values(sd)].forEach((t) => t.dispose());
    net.dispose();
  }));

  it('freezes, switches train/eval recursively, and replaces a child', () => tf.tidy(() => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.bn.training).toBe(true);
    net.bn.freeze();
    expect(net.trainableParameters().length).toBe(3);
    const old = net.setModule('fc', new Lin(4, 3, false));
    expect(net.fc).not.toBe(old);
    expect(net.namedParameters().map(([n]) => n)).toEqual(['conv_w', 'bn.weight', 'fc.weight']);
    old?.dispose();
    const spare = new Lin(1, 1);
    expect(() => net.setModule('nope', spare)).toThrow(FoveaError);
    spare.dispose();
    net.dispose();
  }));

  it('rejects bad names', () => tf.tidy(() => {
    class Bad extends Module {
      constructor(name: string) {
        super();
        this.registerParameter(name, tf.zeros([1]));
        this.registerParameter(name, tf.zeros([1]));
      }
      forward() {}
    }
    expect(() => new Bad('a.b')).toThrow(/without '\.'/);
    // the first registration succeeded before the duplicate was rejected; release it
    const before = tf.memory().numTensors;
    expect(() => new Bad('a')).toThrow(/not registered yet/);
    expect(tf.memory().numTensors - before).toBe(1);
    for (const v of Object.values(tf.engine().registeredVariables)) if (v.shape.length === 1 && v.shape[0] === 1 && v.name.startsWith('fovea_param')) v.dispose();
  }));
});

describe('Sequential and ModuleList', () => {
  it('chains modules, names children by position, and frees intermediates', () => tf.tidy(() => {
    const seq = new Sequential(new Lin(2, 3), new Lin(3, 1));
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    tf.dispose(Object.values(seq.stateDict()));
    const x = tf.ones([1, 2]);
    const before = tf.memory().numTensors;
    const y = seq.forward(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    // W0 = range(6) as [2,3]: ones @ W0 = [3, 5, 7]; W1 = range(3) as [3,1]: 0*3 + 1*5 + 2*7 = 19
    expectClose(y, [19]);
    expect(seq.at(-1)).toBe(seq.at(1));
    expect(() => seq.at(2)).toThrow(FoveaError);
    tf.dispose([x, y]);
    seq.dispose();
  }));

  it('accepts named children', () => tf.tidy(() => {
    const seq = new Sequential({ features: new Lin(2, 2), head: new Lin(2, 1) });
    const sd = seq.stateDict();
    expect(Object.keys(sd)).toEqual(['features.weight', 'features.bias', 'head.weight', 'head.bias']);
    tf.dispose(Object.values(sd));
    seq.dispose();
  }));

  it('ModuleList registers its items', () => tf.tidy(() => {
    const list = new ModuleList([new Lin(1, 1), new Lin(1, 1, false)]);
    expect(list.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight']);
    expect([...list].length).toBe(2);
    expect(() => list.forward()).toThrow(FoveaError);
    list.dispose();
  }));
});
