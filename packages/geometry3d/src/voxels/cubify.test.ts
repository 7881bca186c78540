import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { cubify } from './cubify.js';

describe('cubify', () => {
  it('turns one voxel into a cube with PyTorch3D topleft coordinates', async () => {
    const vox = tf.tidy(() => tf.pad(tf.ones([1, 1, 1, 1]), [[0, 0], [1, 1], [1, 1], [1, 1]])); // 3×3×3, centre occupied
    const m = await cubify(vox, 0.5);
    expect(m.numVertsPerMesh()).toEqual([8]);
    expect(m.numFacesPerMesh()).toEqual([12]);
    // corners at grid 1 and 2 → 1·2/(3-1) - 1 = 0 and 1
    const v = Array.from(m.vertsPacked().dataSync());
    expect(new Set(v)).toEqual(new Set([0, 1]));
    // the cube is closed: 18 unique edges, area 6 (x2 scaling → edge 1)
    expect(m.numEdgesPerMesh()).toEqual([18]);
    const a = m.facesAreasPacked();
    tf.tidy(() => expectClose(tf.sum(a), [6], { atol: 1e-6 }));
    // outward normals: the face normals point away from the cube centre
    const n = m.facesNormalsPacked();
    const c = tf.tidy(() => {
      const faces = m.facesPacked();
      const centroid = tf.mean(tf.reshape(tf.gather(m.vertsPacked(), tf.reshape(faces, [-1])), [12, 3, 3]), 1);
      return tf.sum(tf.mul(tf.sub(centroid, 0.5), n), 1);
    });
    expect(Array.from(c.dataSync()).every((x) => x > 0)).toBe(true);
    tf.dispose([vox, a, n, c]);
    m.dispose();
  });

  it('removes internal faces, merges corners and counts >= thresh as occupied', async () => {
    const vox = tf.tensor4d([0.5, 0.7, 0.2, 0.1, 0, 0, 0, 0], [1, 2, 2, 2]); // two neighbours along W
    const m = await cubify(vox, 0.5, { align: 'corner' });
    expect(m.numFacesPerMesh()).toEqual([20]); // 10 exposed squares
    expect(m.numVertsPerMesh()).toEqual([12]);
    const low = tf.fill([2, 2, 2, 2], 0.1);
    const empty = await cubify(low, 0.5);
    expect(empty.numFacesPerMesh()).toEqual([0, 0]);
    tf.dispose([vox, low]);
    m.dispose();
    empty.dispose();
  });

  it('rejects bad input', async () => {
    const v = tf.zeros([1, 1, 3, 3]);
    await expect(cubify(v, 0.5)).rejects.toThrow(/cubify: voxels must be every voxel dim >= 2 with align 'topleft'/);
    await expect(cubify(v, 0.5, { align: 'middle' as 'center' })).rejects.toThrow(/options.align must be one of/);
    v.dispose();
  });
});
