import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ModuleList, checkNumber, checkTensor, relu, type Generator } from '@fovea/core';
import { Linear } from '@fovea/layers';
import { GraphConv } from './graph-conv.js';
import { Meshes } from './meshes.js';
import { vertAlign } from './vert-align.js';

/** Options for {@link MeshRefinementStage}. @category Meshes */
export interface MeshRefinementStageOptions {
  /** Graph convolutions per stage; default 3. */
  stageDepth?: number;
  /** Channels of the previous stage's vertex features (0 for the first stage); default 0. */
  vertFeatDim?: number;
  /** Hidden width; default 128. */
  hiddenDim?: number;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/** What {@link MeshRefinementStage.forward} returns. @category Meshes */
export interface MeshRefinementOutput {
  /** The deformed meshes (same faces; dispose them). */
  meshes: Meshes;
  /** `[ΣV, hiddenDim]` vertex features for the next stage. */
  vertFeats: tf.Tensor;
  /** `[ΣV, 3]` the offsets that were applied. */
  offsets: tf.Tensor;
}

/**
 * One mesh-refinement stage in the style of Pixel2Mesh and Mesh R-CNN
 * (`MeshRefinementStage`): image features are sampled at every vertex's
 * projection ({@link vertAlign}), reduced by a bottleneck `Linear`, joined
 * with the previous stage's vertex features and the positions, passed through
 * {@link GraphConv}s over the mesh edges, and mapped to vertex offsets
 * (`tanh`) that deform the mesh. Stack stages to refine an icosphere or a
 * cubified voxel prediction towards a target.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MeshRefinementStage, icosphere } from '@fovea/geometry3d';
 * const stage = new MeshRefinementStage(64, { hiddenDim: 32 });
 * const sphere = icosphere(2);
 * const feats = tf.randomNormal([1, 28, 28, 64]); // an image's feature map, NHWC
 * const { meshes, vertFeats } = stage.forward(feats, sphere);
 * vertFeats.shape; // [162, 32]
 * ```
 * @category Meshes
 */
export class MeshRefinementStage extends Module<[tf.Tensor, Meshes, (tf.Tensor | null)?, ((verts: tf.Tensor) => tf.Tensor)?], MeshRefinementOutput> {
  readonly bottleneck: Linear;
  readonly gconvs: ModuleList;
  readonly vertOffset: Linear;
  readonly imgFeatDim: number;
  readonly vertFeatDim: number;

  /**
   * @param imgFeatDim channels `C` of the image feature map.
   * @param opts stageDepth, vertFeatDim, hiddenDim, generator.
   */
  constructor(imgFeatDim: number, opts: MeshRefinementStageOptions = {}) {
    super();
    const op = 'MeshRefinementStage';
    this.imgFeatDim = checkNumber(op, 'imgFeatDim', imgFeatDim, { integer: true, min: 1 });
    const depth = checkNumber(op, 'options.stageDepth', opts.stageDepth ?? 3, { integer: true, min: 1 });
    this.vertFeatDim = checkNumber(op, 'options.vertFeatDim', opts.vertFeatDim ?? 0, { integer: true, min: 0 });
    const hidden = checkNumber(op, 'options.hiddenDim', opts.hiddenDim ?? 128, { integer: true, min: 1 });
    const g = opts.generator;
    const gen = g ? { generator: g } : {};
    this.bottleneck = this.registerModule('bottleneck', new Linear(imgFeatDim, hidden, gen));
    const convs: GraphConv[] = [];
    for (let i = 0; i < depth; i++) {
      const inDim = i === 0 ? hidden + this.vertFeatDim + 3 : hidden + 3;
      convs.push(new GraphConv(inDim, hidden, { init: 'normal', ...gen }));
    }
    this.gconvs = this.registerModule('gconvs', new ModuleList(convs));
    this.vertOffset = this.registerModule('vert_offset', new Linear(hidden + 3, 3, gen));
    tf.tidy(() => {
      this.vertOffset.weight.assign(tf.zerosLike(this.vertOffset.weight));
      this.vertOffset.bias?.assign(tf.zerosLike(this.vertOffset.bias));
    });
  }

  /**
   * @param feats `[N, H, W, C]` image features (NHWC), one map per mesh.
   * @param meshes `N` meshes to refine.
   * @param vertFeats `[ΣV, vertFeatDim]` the previous stage's vertex features (required when `vertFeatDim > 0`).
   * @param project maps packed vertices `[ΣV, 3]` to their image positions `[ΣV, 2]` in `[-1, 1]` (x along W, y along H); default: the vertices' own x and y.
   */
  forward(feats: tf.Tensor, meshes: Meshes, vertFeats: tf.Tensor | null = null, project?: (verts: tf.Tensor) => tf.Tensor): MeshRefinementOutput {
    const op = 'MeshRefinementStage.forward';
    if (!(meshes instanceof Meshes)) throw new FoveaError({ op, arg: 'meshes', expected: 'a Meshes', got: typeof meshes });
    checkTensor(op, 'feats', feats, { shape: [meshes.length, null, null, this.imgFeatDim], dtype: 'float32' });
    const V = meshes.numVertsPerMesh().reduce((a, b) => a + b, 0);
    if (this.vertFeatDim > 0) checkTensor(op, 'vertFeats', vertFeats, { shape: [V, this.vertFeatDim], dtype: 'float32' });
    const out = tf.tidy(() => {
      const verts = meshes.vertsPacked(); // [ΣV, 3]
      const xy = project ? project(verts) : tf.slice(verts, [0, 0], [V, 2]); // [ΣV, 2]
      const xyMeshes = meshes.updatePacked(tf.concat([xy, tf.zeros([V, 1])], 1));
      const img = relu(this.bottleneck.forward(vertAlign(feats, xyMeshes, { returnPacked: true }))); // [ΣV, hidden]
      const edges = meshes.edgesPacked(); // [E, 2]
      let h = tf.concat(this.vertFeatDim > 0 ? [img, vertFeats!, verts] : [img, verts], 1);
      for (const gc of this.gconvs) h = tf.concat([relu((gc as GraphConv).forward(h, edges)), verts], 1); // [ΣV, hidden + 3]
      const offsets = tf.tanh(this.vertOffset.forward(h)); // [ΣV, 3]
      const feat = tf.slice(h, [0, 0], [V, h.shape[1]! - 3]); // [ΣV, hidden]
      return { offsets, feat };
    });
    return { meshes: meshes.offsetVerts(out.offsets), vertFeats: out.feat, offsets: out.offsets };
  }
}
