import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { Meshes } from './meshes.js';

const TET_V = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]];
const TET_F = [[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]];

describe('Meshes', () => {
  it('packs, pads and lists a heterogeneous batch', () => {
    const a = tf.tensor2d(TET_V);
    const b = tf.tensor2d([[0, 0, 0], [2, 0, 0], [0, 2, 0]]);
    const m = new Meshes([a, b], [TET_F, new Int32Array([0, 1, 2])]);
    expect(m.length).toBe(2);
    expect(m.numVertsPerMesh()).toEqual([4, 3]);
    expect(m.numFacesPerMesh()).toEqual([4, 1]);
    expect(m.numEdgesPerMesh()).toEqual([6, 3]);
    expect(m.meshToVertsPackedFirstIdx()).toEqual([0, 4]);
    expect(m.meshToFacesPackedFirstIdx()).toEqual([0, 4]);
    expect(m.vertsPacked().shape).toEqual([7, 3]);
    const fp = m.facesPacked();
    expect(Array.from(fp.dataSync()).slice(12)).toEqual([4, 5, 6]); // offset by the first mesh's 4 vertices
    const pad = m.facesPadded();
    expect(pad.shape).toEqual([2, 4, 3]);
    expect(Array.from(pad.dataSync()).slice(12)).toEqual([0, 1, 2, -1, -1, -1, -1, -1, -1, -1, -1, -1]);
    const vp = m.vertsPadded();
    expect(vp.shape).toEqual([2, 4, 3]);
    tf.tidy(() => expectClose(tf.slice(vp, [1, 3, 0], [1, 1, 3]), [0, 0, 0]));
    const lists = m.vertsList();
    expectClose(lists[1]!, b);
    const edges = m.edgesPacked();
    // unique, sorted, (a < b) edges of the tetrahedron then the triangle
    expect(Array.from(edges.dataSync())).toEqual([0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 2, 3, 4, 5, 4, 6, 5, 6]);
    const f2e = m.facesPackedToEdgesPacked();
    // face (0, 2, 1): sides (2, 1), (1, 0), (0, 2) → edges 3, 0, 1
    expect(Array.from(f2e.dataSync()).slice(0, 3)).toEqual([3, 0, 1]);
    const idx = m.vertsPackedToMeshIdx();
    expect(Array.from(idx.dataSync())).toEqual([0, 0, 0, 0, 1, 1, 1]);
    const boxes = m.getBoundingBoxes();
    expectClose(boxes, [0, 1, 0, 1, 0, 1, 0, 2, 0, 2, 0, 0]);
    tf.dispose([a, b, fp, pad, vp, ...lists, edges, f2e, idx, boxes]);
    m.dispose();
  });

  it('derives deformed meshes that share the topology', () => {
    const v = tf.tensor2d(TET_V);
    const m = new Meshes(v, TET_F);
    v.dispose(); // the Meshes keeps its own reference
    const off = tf.fill([4, 3], 0.5);
    const d = m.offsetVerts(off);
    expectClose(d.vertsPacked(), TET_V.flat().map((x) => x + 0.5));
    expect(d.numEdgesPerMesh()).toEqual([6]);
    const g = m.get(0);
    expect(g.numFacesPerMesh()).toEqual([4]);
    const s = m.scaleVerts(2);
    expectClose(s.vertsPacked(), TET_V.flat().map((x) => 2 * x));
    for (const x of [m, d, g, s]) x.dispose();
    off.dispose();
  });

  it('builds from tensors, reading the faces back', async () => {
    const v = tf.tensor2d(TET_V);
    const f = tf.tensor2d(TET_F, undefined, 'int32');
    const m = await Meshes.fromTensors(v, f);
    expect(Array.from(m.facesPackedArray())).toEqual(TET_F.flat());
    const f2 = tf.slice(f, [0, 0], [4, 2]);
    await expect(Meshes.fromTensors(v, f2)).rejects.toThrow(/Meshes.fromTensors: faces must be shape \[\*, 3\]/);
    m.dispose();
    tf.dispose([v, f, f2]);
  });

  it('handles an empty batch and meshes without faces', () => {
    const none = new Meshes([], []);
    expect(none.length).toBe(0);
    expect(none.isEmpty()).toBe(true);
    expect(none.vertsList()).toEqual([]);
    const pad = none.vertsPadded();
    expect(pad.shape).toEqual([0, 0, 3]);
    const v = tf.ones([2, 3]);
    const bare = new Meshes(v, []);
    expect(bare.numEdgesPerMesh()).toEqual([0]);
    tf.tidy(() => expectClose(bare.vertsNormalsPacked(), [0, 0, 0, 0, 0, 0]));
    tf.dispose([pad, v]);
    none.dispose();
    bare.dispose();
  });

  it('rejects bad faces with a FoveaError naming the face', () => {
    const v = tf.tensor2d(TET_V);
    expect(() => new Meshes(v, [[0, 1, 4]])).toThrow(/Meshes: faces must be vertex indices in \[0, 4\), got 4 at face 0/);
    expect(() => new Meshes(v, new Int32Array([0, 1]))).toThrow(/a multiple of 3 indices/);
    expect(() => new Meshes([v, v], [TET_F])).toThrow(/one face array per mesh \(2\)/);
    v.dispose();
  });
});
