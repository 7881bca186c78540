/** The mesh-fitting target, shared by `fit-mesh.ts` and the gallery's mesh page. */
import * as tf from '@tensorflow/tfjs-core';
import { Meshes, icosphereArrays } from '@fovea/geometry3d';

/**
 * A lumpy, stretched sphere (genus 0, so an icosphere can reach it): the
 * vertices of an icosphere of subdivision `level` displaced radially by
 * smooth sines and scaled per axis. Caller disposes.
 */
export function targetMesh(level: number): Meshes {
  const { verts, faces } = icosphereArrays(level);
  const out = new Float32Array(verts.length);
  for (let i = 0; i < verts.length / 3; i++) {
    const [x, y, z] = [verts[3 * i]!, verts[3 * i + 1]!, verts[3 * i + 2]!];
    const r = 1 + 0.2 * Math.sin(3 * x) * Math.cos(2 * z) + 0.15 * Math.cos(4 * y);
    out.set([1.3 * r * x, 0.8 * r * y, 0.9 * r * z], 3 * i);
  }
  const v = tf.tensor2d(out, [out.length / 3, 3]);
  const m = new Meshes(v, faces);
  v.dispose();
  return m;
}
