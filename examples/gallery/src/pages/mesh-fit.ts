/** @fovea/geometry3d: deform an icosphere until it matches a target point cloud, drawn as shaded views. */
import * as tf from '@tensorflow/tfjs-core';
import { Generator } from '@fovea/core';
import {
  Meshes,
  chamferDistance,
  fScore,
  icosphere,
  meshDataFromMeshes,
  meshEdgeLoss,
  meshLaplacianSmoothing,
  meshNormalConsistency,
  samplePointsFromMeshes,
} from '@fovea/geometry3d';
import { Adam } from '@fovea/optim';
import type { GalleryPage } from '../types.js';
import { el, nextFrame, plotLine } from '../ui.js';
import { targetMesh } from '../../../geometry3d/src/target.js';

const LEVEL = 3; // 642 vertices, 1,280 faces: light enough for a browser
const SAMPLES = 2000; // points sampled on each mesh per step
const W = { chamfer: 1, edge: 1, normal: 0.01, laplacian: 0.1 }; // PyTorch3D tutorial's weights

/** Flat-shaded painter's-algorithm rendering of a mesh, seen from `eye` looking at the origin. */
function drawMesh(canvas: HTMLCanvasElement, verts: Float32Array, faces: Int32Array, eye: [number, number, number], rgb: [number, number, number]): void {
  const g = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, w, h);
  const len = Math.hypot(...eye);
  const f = eye.map((v) => -v / len) as [number, number, number]; // forward
  const r = [f[2], 0, -f[0]].map((v) => v / Math.hypot(f[2], f[0])) as [number, number, number]; // right (up = y)
  const u = [r[1] * f[2] - r[2] * f[1], r[2] * f[0] - r[0] * f[2], r[0] * f[1] - r[1] * f[0]];
  const proj = (i: number): [number, number, number] => {
    const p = [verts[3 * i]! - eye[0], verts[3 * i + 1]! - eye[1], verts[3 * i + 2]! - eye[2]];
    const z = p[0]! * f[0] + p[1]! * f[1] + p[2]! * f[2];
    const x = p[0]! * r[0] + p[1]! * r[1] + p[2]! * r[2];
    const y = p[0]! * u[0]! + p[1]! * u[1]! + p[2]! * u[2]!;
    const s = (1.6 * w) / 2 / z;
    return [w / 2 + x * s, h / 2 - y * s, z];
  };
  const tris = [];
  for (let t = 0; t < faces.length / 3; t++) {
    const [a, b, c] = [faces[3 * t]!, faces[3 * t + 1]!, faces[3 * t + 2]!];
    const A = [verts[3 * a]!, verts[3 * a + 1]!, verts[3 * a + 2]!];
    const e1 = [0, 1, 2].map((k) => verts[3 * b + k]! - A[k]!);
    const e2 = [0, 1, 2].map((k) => verts[3 * c + k]! - A[k]!);
    const n = [e1[1]! * e2[2]! - e1[2]! * e2[1]!, e1[2]! * e2[0]! - e1[0]! * e2[2]!, e1[0]! * e2[1]! - e1[1]! * e2[0]!];
    const nl = Math.hypot(...n) || 1;
    const facing = -(n[0]! * f[0] + n[1]! * f[1] + n[2]! * f[2]) / nl;
    if (facing <= 0) continue; // back face
    const pa = proj(a), pb = proj(b), pc = proj(c);
    tris.push({ pts: [pa, pb, pc], z: (pa[2] + pb[2] + pc[2]) / 3, light: 0.25 + 0.75 * facing });
  }
  tris.sort((p, q) => q.z - p.z);
  for (const t of tris) {
    g.fillStyle = `rgb(${rgb.map((v) => Math.round(v * t.light)).join(',')})`;
    g.beginPath();
    g.moveTo(t.pts[0]![0], t.pts[0]![1]);
    g.lineTo(t.pts[1]![0], t.pts[1]![1]);
    g.lineTo(t.pts[2]![0], t.pts[2]![1]);
    g.closePath();
    g.fill();
  }
}

export const meshFitPage: GalleryPage = {
  id: 'mesh-fit',
  title: 'Fit a mesh',
  pkg: '@fovea/geometry3d, @fovea/optim',
  async mount(root) {
    const views = [0, 1, 2].map(() => el('canvas', { width: 260, height: 260 }));
    const plot = el('canvas', { width: 520, height: 160 });
    const status = el('div', { className: 'status' });
    const run = el('button', {}, 'Fit 150 steps');
    root.append(
      el('p', {}, 'An icosphere (642 vertices) is deformed by per-vertex offsets trained with Adam until points sampled on it match a point cloud sampled from the target: Chamfer + edge-length + normal-consistency + Laplacian losses, as in PyTorch3D’s tutorial.'),
      el('div', { className: 'row' }, ...views.map((v, i) => el('div', { className: 'card' }, ['source', 'fitted', 'target'][i]!, el('br'), v))),
      el('div', { className: 'row' }, el('div', { className: 'card' }, plot), el('div', {}, run, status)),
    );
    const g = new Generator(0);
    const target = targetMesh(LEVEL);
    const targetPoints = tf.tidy(() => samplePointsFromMeshes(target, SAMPLES, { generator: g }).points); // [1, S, 3]
    const src = icosphere(LEVEL);
    const offsets = tf.tidy(() => tf.variable(tf.zeros(src.vertsPacked().shape), true)); // tidy frees the zeros the variable copied
    const opt = new Adam([offsets], { lr: 0.01 });
    const losses: number[] = [];
    const eye: [number, number, number] = [2.4, 1.5, -3.2];
    const show = async (i: number, m: Meshes, rgb: [number, number, number]) => {
      const d = await meshDataFromMeshes(m);
      drawMesh(views[i]!, d.verts, d.faces, eye, rgb);
    };
    await show(0, src, [120, 160, 220]);
    await show(2, target, [120, 190, 120]);
    let stopped = false;
    const fit = async (steps: number): Promise<string> => {
      run.disabled = true;
      for (let s = 0; s < steps && !stopped; s++) {
        opt.zeroGrad();
        const loss = opt.backward(() => {
          const m = src.offsetVerts(offsets);
          const pts = samplePointsFromMeshes(m, SAMPLES, { generator: g }).points;
          const l = tf.addN([
            tf.mul(W.chamfer, chamferDistance(pts, targetPoints).loss),
            tf.mul(W.edge, meshEdgeLoss(m)),
            tf.mul(W.normal, meshNormalConsistency(m)),
            tf.mul(W.laplacian, meshLaplacianSmoothing(m, { method: 'uniform' })),
          ]) as tf.Scalar;
          m.dispose();
          return l;
        });
        opt.step();
        losses.push((await loss.data())[0]!);
        loss.dispose();
        if (s % 10 === 9 || s === steps - 1) {
          plotLine(plot, [{ ys: losses, color: '#e08a3c', label: 'loss' }], `loss after ${losses.length} steps`);
          const m = src.offsetVerts(offsets);
          await show(1, m, [230, 140, 90]);
          m.dispose();
          await nextFrame();
        }
      }
      const m = src.offsetVerts(offsets);
      const score = tf.tidy(() => {
        const pa = samplePointsFromMeshes(m, 4000, { generator: new Generator(1) }).points;
        const pb = samplePointsFromMeshes(target, 4000, { generator: new Generator(2) }).points;
        return tf.stack([chamferDistance(pa, pb).loss, tf.reshape(fScore(tf.squeeze(pa, [0]), tf.squeeze(pb, [0]), [0.1]).f1, [])]);
      });
      const [chamfer, f1] = Array.from(await score.data());
      tf.dispose([score]);
      m.dispose();
      status.textContent = `${losses.length} steps: Chamfer ${chamfer!.toFixed(4)}, F1@0.1 ${f1!.toFixed(3)}`;
      run.disabled = false;
      return status.textContent;
    };
    run.onclick = () => void fit(150);
    return {
      demo: fit,
      dispose: () => {
        stopped = true;
        setTimeout(() => {
          [src, target].forEach((x) => x.dispose());
          tf.dispose([targetPoints, offsets]);
          opt.dispose();
        }, 100);
      },
    };
  },
};
