import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { nchwToNhwc } from '@fovea/core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { Meshes } from './meshes.js';
import { vertAlign } from './vert-align.js';

interface Case {
  align_corners: boolean;
  padding_mode: 'zeros' | 'border';
  feats_nchw: number[];
  feats_shape: number[];
  verts: number[];
  verts_shape: number[];
  out: number[];
  out_shape: number[];
  seed: number[];
  grad_feats_nchw: number[];
  grad_verts: number[];
}
const cases = JSON.parse(readFileSync(new URL('../../fixtures/vert_align.json', import.meta.url), 'utf8')) as Case[];

describe('vertAlign', () => {
  it.each(cases.map((c) => [`${c.align_corners}/${c.padding_mode}`, c] as const))('matches torch grid_sample and its gradients (align_corners/padding %s)', (_, c) => {
    tf.tidy(() => {
      const feats = nchwToNhwc(tf.tensor(c.feats_nchw, c.feats_shape));
      const verts = tf.tensor(c.verts, c.verts_shape);
      const opts = { alignCorners: c.align_corners, paddingMode: c.padding_mode };
      const out = vertAlign(feats, verts, opts);
      expect(out.shape).toEqual(c.out_shape);
      expectClose(out, c.out, { atol: 1e-5 });
      const seed = tf.tensor(c.seed, c.out_shape);
      const [gf, gv] = tf.grads((f: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(vertAlign(f, v, opts), seed)))([feats, verts]);
      expectClose(gf!, nchwToNhwc(tf.tensor(c.grad_feats_nchw, c.feats_shape)), { atol: 1e-5 });
      expectClose(gv!, c.grad_verts, { atol: 1e-4 });
    });
  });

  it('concatenates several maps and takes Meshes (padded or packed)', () => {
    tf.tidy(() => {
      const f1 = tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1]);
      const f2 = tf.tensor4d([10, 20, 30, 40, 50, 60, 70, 80, 90], [1, 3, 3, 1]);
      const v = tf.tensor2d([[-1, -1, 5], [1, 1, 5], [0, 0, 5]]);
      const m = new Meshes(v, [[0, 1, 2]]);
      const out = vertAlign([f1, f2], m, { returnPacked: true });
      expectClose(out, [0, 10, 3, 90, 1.5, 50]);
      m.dispose();
    });
  });

  it('rejects bad input', () => {
    tf.tidy(() => {
      expect(() => vertAlign(tf.zeros([2, 4, 4, 3]), tf.zeros([1, 5, 2]))).toThrow(/vertAlign: verts must be shape \[N, V, \*\] with N = 2/);
      expect(() => vertAlign(tf.zeros([1, 4, 4, 3]), tf.zeros([1, 5, 4]))).toThrow(/verts must be shape \[N, V, 2\] or \[N, V, 3\]/);
      expect(() => vertAlign([], tf.zeros([1, 5, 2]))).toThrow(/feats must be at least one feature map/);
    });
  });
});
