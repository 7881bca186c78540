/**
 * Mesh fitting (PyTorch3D's "deform a source mesh to form a target mesh"
 * tutorial, on a procedural target): an icosphere is deformed, by per-vertex
 * offsets trained with Adam, until points sampled on it match a point cloud
 * sampled from the target. Loss: Chamfer + edge length + normal consistency +
 * Laplacian smoothing. Prints Chamfer and F1@0.1 against the target before and
 * after, and writes examples/geometry3d/out/fit-mesh.png (before | after |
 * target, two views).
 *
 *   pnpm --filter @fovea/example-geometry3d fit-mesh      (after `pnpm build`)
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { Generator, initBackend } from '@fovea/core';
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
  saveObj,
} from '@fovea/geometry3d';
import { Adam, StepProgress } from '@fovea/optim';
import { blank, camera, drawMesh, drawPoints, row, savePng } from './render.js';
import { targetMesh } from './target.js';

const SEED = 0; // one seed: sampling on both meshes is reproducible
const LEVEL = 4; // source icosphere: 2,562 vertices, 5,120 faces
const STEPS = 400; // Adam steps on the vertex offsets
const LR = 0.01; // Adam's rate for the offsets (unit-sphere scale)
const SAMPLES = 4000; // points sampled on each mesh per step for the Chamfer term
const W = { chamfer: 1, edge: 1, normal: 0.01, laplacian: 0.1 }; // PyTorch3D tutorial's weights
const EVAL_SAMPLES = 10000; // points per mesh for the reported Chamfer and F1
const F1_THRESHOLD = 0.1;

/** Chamfer (mean, squared) and F1@t between surface samples of two meshes. */
function evaluate(a: Meshes, b: Meshes, g: Generator): { chamfer: number; f1: number } {
  return tf.tidy(() => {
    const pa = samplePointsFromMeshes(a, EVAL_SAMPLES, { generator: g }).points;
    const pb = samplePointsFromMeshes(b, EVAL_SAMPLES, { generator: g }).points;
    const chamfer = chamferDistance(pa, pb).loss.dataSync()[0]!;
    const f1 = fScore(tf.squeeze(pa, [0]), tf.squeeze(pb, [0]), [F1_THRESHOLD]).f1.dataSync()[0]!;
    return { chamfer, f1 };
  });
}

async function render(meshes: Meshes[], size = 256): Promise<ReturnType<typeof row>> {
  const views = [camera([2.4, 1.5, -3.2], size), camera([-3.4, 0.8, 1.5], size)];
  const colors = [[120, 160, 220], [230, 140, 90], [120, 190, 120]];
  const panels = [];
  for (const cam of views) {
    for (let i = 0; i < meshes.length; i++) {
      const img = blank(size, size);
      const data = await meshDataFromMeshes(meshes[i]!);
      await drawMesh(img, cam, data.verts, data.faces, colors[i]!);
      panels.push(img);
    }
  }
  return row(panels);
}

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(info.summary);
  const out = fileURLToPath(new URL('../out/', import.meta.url));
  mkdirSync(out, { recursive: true });
  const g = new Generator(SEED);
  const target = targetMesh(LEVEL);
  const targetPoints = tf.tidy(() => samplePointsFromMeshes(target, SAMPLES, { generator: g }).points); // [1, S, 3]
  const src = icosphere(LEVEL);
  const before = evaluate(src, target, new Generator(1));
  console.log(`before: Chamfer ${before.chamfer.toFixed(4)}, F1@${F1_THRESHOLD} ${before.f1.toFixed(3)}`);

  const offsets = tf.variable(tf.zeros(src.vertsPacked().shape), true, 'offsets');
  const opt = new Adam([offsets], { lr: LR });
  const bar = new StepProgress('fit', STEPS);
  for (let step = 0; step < STEPS; step++) {
    opt.zeroGrad();
    const loss = opt.backward(() => {
      const m = src.offsetVerts(offsets);
      const pts = samplePointsFromMeshes(m, SAMPLES, { generator: g }).points;
      return tf.addN([
        tf.mul(W.chamfer, chamferDistance(pts, targetPoints).loss),
        tf.mul(W.edge, meshEdgeLoss(m)),
        tf.mul(W.normal, meshNormalConsistency(m)),
        tf.mul(W.laplacian, meshLaplacianSmoothing(m, { method: 'uniform' })),
      ]) as tf.Scalar;
    });
    opt.step();
    bar.tick(1, `loss ${(await loss.data())[0]!.toFixed(4)}`);
    loss.dispose();
  }
  bar.finish(`${STEPS} steps`);
  const fitted = src.offsetVerts(offsets);
  const after = evaluate(fitted, target, new Generator(1));
  console.log(`after:  Chamfer ${after.chamfer.toFixed(4)}, F1@${F1_THRESHOLD} ${after.f1.toFixed(3)}`);

  await savePng(`${out}fit-mesh.png`, await render([src, fitted, target]));
  await saveObj(`${out}fitted.obj`, await meshDataFromMeshes(fitted));
  console.log(`wrote ${out}fit-mesh.png (before | after | target, two views) and ${out}fitted.obj`);
  // a splat of the target cloud, for comparison with the meshes
  const splat = blank(256, 256);
  await drawPoints(splat, camera([2.4, 1.5, -3.2], 256), (await targetPoints.data()) as Float32Array, [60, 120, 60]);
  await savePng(`${out}fit-mesh-target-points.png`, splat);

  [src, fitted, target].forEach((m) => m.dispose());
  tf.dispose([targetPoints, offsets]);
  opt.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
