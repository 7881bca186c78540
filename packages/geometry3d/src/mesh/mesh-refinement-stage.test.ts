import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import { describe, expect, it } from 'vitest';
import { icosphere } from './icosphere.js';
import { MeshRefinementStage } from './mesh-refinement-stage.js';

describe('MeshRefinementStage', () => {
  it('starts as the identity and chains stages through vertex features', () => {
    const g = new Generator(0);
    const s1 = new MeshRefinementStage(8, { hiddenDim: 16, stageDepth: 2, generator: g });
    const s2 = new MeshRefinementStage(8, { hiddenDim: 16, vertFeatDim: 16, generator: g });
    const sphere = icosphere(1);
    const feats = randn([1, 10, 10, 8], { generator: g });
    const a = s1.forward(feats, sphere);
    expect(a.vertFeats.shape).toEqual([42, 16]);
    expect(tf.tidy(() => tf.max(tf.abs(a.offsets)).dataSync()[0]!)).toBe(0); // zero-initialised offset head
    const b = s2.forward(feats, a.meshes, a.vertFeats, (v) => tf.mul(tf.slice(v, [0, 0], [-1, 2]), 0.9));
    expect(b.meshes.numFacesPerMesh()).toEqual([80]);
    const sd = s2.stateDict();
    expect(Object.keys(sd)).toContain('gconvs.0.w0.weight');
    expect(Object.keys(sd)).toContain('vert_offset.bias');
    tf.dispose(Object.values(sd));
    tf.dispose([feats, a.vertFeats, a.offsets, b.vertFeats, b.offsets]);
    [sphere, a.meshes, b.meshes].forEach((m) => m.dispose());
    s1.dispose();
    s2.dispose();
  });

  it('learns offsets that move the vertices towards a target', () => {
    const stage = new MeshRefinementStage(4, { hiddenDim: 8, stageDepth: 1, generator: new Generator(1) });
    const sphere = icosphere(1);
    const feats = tf.ones([1, 4, 4, 4]);
    const vars = stage.trainableParameters();
    const loss = (): tf.Scalar =>
      tf.tidy(() => {
        const out = stage.forward(feats, sphere);
        const l = tf.mean(tf.square(tf.sub(out.meshes.vertsPacked(), tf.mul(sphere.vertsPacked(), 0.5)))) as tf.Scalar;
        out.meshes.dispose();
        return l;
      });
    const first = tf.tidy(() => loss().dataSync()[0]!);
    const opt = tf.train.adam(0.01);
    for (let s = 0; s < 30; s++) tf.tidy(() => void opt.minimize(loss, false, vars));
    expect(tf.tidy(() => loss().dataSync()[0]!)).toBeLessThan(first);
    opt.dispose();
    feats.dispose();
    sphere.dispose();
    stage.dispose();
  });
});
