/** Conformance handlers for `geometry3d.*` ops: each maps a case to @fovea/geometry3d's public API. */
import * as tf from '@tensorflow/tfjs-core';
import { nhwcToNchw, type Parameter } from '@fovea/core';
import {
  GraphConv,
  Meshes,
  chamferDistance,
  cubify,
  depthToNormals,
  faceAreas,
  faceNormals,
  fScore,
  icosphere,
  knnPoints,
  marchingCubes,
  meshEdgeLoss,
  meshLaplacianSmoothing,
  meshNormalConsistency,
  meshVolume,
  scaleInvariantDepthLoss,
  vertexNormals,
  voxelIou,
  type BatchReduction,
  type LaplacianMethod,
  type PointReduction,
} from '@fovea/geometry3d';
import { withGrads } from '../grad.js';
import type { OpContext, OpHandler } from '../types.js';

type Attrs = Record<string, unknown>;
const num = (a: Attrs, k: string, dflt?: number): number => (a[k] === undefined || a[k] === null ? dflt! : (a[k] as number));

/** Runs a mesh loss on the case's `verts` / `faces`, differentiable in `verts` (faces are read once, outside the tape). */
async function meshLoss(ctx: OpContext, loss: (m: Meshes) => tf.Tensor): Promise<Record<string, tf.Tensor>> {
  const mesh = await Meshes.fromTensors(ctx.inputs['verts']!, ctx.inputs['faces']!);
  try {
    return withGrads(ctx, ({ verts }) => ({ loss: loss(mesh.updatePacked(verts!)) }));
  } finally {
    mesh.dispose();
  }
}

const int = (n: number): tf.Tensor => tf.scalar(n, 'int32');

export const geometry3dOps: Record<string, OpHandler> = {
  'geometry3d.chamfer_distance': (ctx) =>
    withGrads(ctx, ({ x, y }) => {
      const r = chamferDistance(x!, y!, {
        pointReduction: (ctx.attrs['point_reduction'] as PointReduction | undefined) ?? 'mean',
        batchReduction: (ctx.attrs['batch_reduction'] as BatchReduction | undefined) ?? 'mean',
        singleDirectional: (ctx.attrs['single_directional'] as boolean | undefined) ?? false,
      });
      return { loss: r.loss };
    }),

  'geometry3d.knn_points': ({ inputs, attrs }) => {
    const { dists, idx } = knnPoints(inputs['p1']!, inputs['p2']!, { K: num(attrs, 'K') });
    return { dists, idx };
  },

  'geometry3d.f_score': ({ inputs, attrs }) => {
    const r = fScore(inputs['pred']!, inputs['gt']!, attrs['thresholds'] as number[]);
    return { precision: r.precision, recall: r.recall, f1: r.f1 };
  },

  'geometry3d.voxel_iou': ({ inputs, attrs }) => ({ iou: voxelIou(inputs['pred']!, inputs['gt']!, { threshold: num(attrs, 'threshold', 0.5) }) }),

  'geometry3d.scale_invariant_depth_loss': (ctx) =>
    withGrads(ctx, ({ pred, target, mask }) => ({
      loss: scaleInvariantDepthLoss(pred!, target!, { mask: mask ?? null, lambda: num(ctx.attrs, 'lambda', 0.5) }),
    })),

  'geometry3d.depth_to_normals': ({ inputs, attrs }) => {
    const n = depthToNormals(inputs['depth']!, {
      projection: attrs['projection'] as 'perspective' | 'orthographic',
      fx: num(attrs, 'fx'),
      fy: num(attrs, 'fy'),
      cx: num(attrs, 'cx'),
      cy: num(attrs, 'cy'),
    });
    try {
      return { normals: nhwcToNchw(n) };
    } finally {
      n.dispose();
    }
  },

  'geometry3d.graph_conv': (ctx) => {
    const w0 = ctx.inputs['w0.weight']!;
    const gc = new GraphConv(w0.shape[1]!, w0.shape[0]!, { directed: (ctx.attrs['directed'] as boolean | undefined) ?? false });
    try {
      const keys = ['w0.weight', 'w0.bias', 'w1.weight', 'w1.bias'];
      gc.loadStateDict(Object.fromEntries(keys.map((k) => [k, ctx.inputs[k]!])));
      const params: Record<string, Parameter> = Object.fromEntries(gc.namedParameters());
      return withGrads(ctx, ({ verts, edges }) => ({ out: gc.forward(verts!, edges!) }), params);
    } finally {
      gc.dispose();
    }
  },

  'geometry3d.mesh_edge_loss': (ctx) => meshLoss(ctx, (m) => meshEdgeLoss(m, { targetLength: num(ctx.attrs, 'target_length', 0) })),
  'geometry3d.mesh_laplacian_smoothing': (ctx) =>
    meshLoss(ctx, (m) => meshLaplacianSmoothing(m, { method: (ctx.attrs['method'] as LaplacianMethod | undefined) ?? 'uniform' })),
  'geometry3d.mesh_normal_consistency': (ctx) => meshLoss(ctx, (m) => meshNormalConsistency(m)),

  'geometry3d.face_normals': ({ inputs }) => ({ normals: faceNormals(inputs['verts']!, inputs['faces']!) }),
  'geometry3d.face_areas': ({ inputs }) => ({ areas: faceAreas(inputs['verts']!, inputs['faces']!) }),
  'geometry3d.vertex_normals': ({ inputs }) => ({ normals: vertexNormals(inputs['verts']!, inputs['faces']!) }),

  'geometry3d.cubify': async ({ inputs, attrs }) => {
    const voxels = inputs['voxels']!;
    const [, D, H, W] = voxels.shape as [number, number, number, number];
    // align 'corner' maps voxel edges to 2/W, 2/H, 2/D: scaling back gives unit-voxel areas
    const mesh = await cubify(voxels, num(attrs, 'thresh'), { align: 'corner' });
    try {
      const nf = mesh.numFacesPerMesh();
      const areas = tf.tidy(() =>
        tf.stack(
          mesh.vertsList().map((v, i) => {
            const f = mesh.facesList()[i]!;
            return f.shape[0] ? tf.sum(faceAreas(tf.mul(v, tf.tensor1d([W / 2, H / 2, D / 2])), f)) : tf.scalar(0);
          }),
        ),
      );
      return {
        num_faces_exposed: tf.tensor1d(nf.map((n) => n / 2), 'int32'),
        num_triangles: tf.tensor1d(nf, 'int32'),
        num_verts: tf.tensor1d(mesh.numVertsPerMesh(), 'int32'),
        surface_area: areas,
      };
    } finally {
      mesh.dispose();
    }
  },

  'geometry3d.marching_cubes': async ({ inputs, attrs }) => {
    const { verts, faces, normals } = await marchingCubes(inputs['volume']!, { level: num(attrs, 'level') });
    try {
      return tf.tidy(() => ({
        surface_area: tf.sum(faceAreas(verts, faces)),
        enclosed_volume: tf.abs(meshVolume(verts, faces)),
      }));
    } finally {
      tf.dispose([verts, faces, normals]);
    }
  },

  'geometry3d.icosphere': ({ attrs }) => {
    const sphere = icosphere(num(attrs, 'subdivisions'));
    try {
      return tf.tidy(() => {
        const v = sphere.vertsPacked();
        const faces = sphere.facesPacked();
        return {
          num_verts: int(sphere.numVertsPerMesh()[0]!),
          num_faces: int(sphere.numFacesPerMesh()[0]!),
          num_edges: int(sphere.numEdgesPerMesh()[0]!),
          max_norm_error: tf.max(tf.abs(tf.sub(tf.norm(v, 'euclidean', 1), 1))),
          surface_area: tf.sum(faceAreas(v, faces)),
        };
      });
    } finally {
      sphere.dispose();
    }
  },
};
