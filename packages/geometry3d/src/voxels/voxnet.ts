import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkNumber, checkTensor, formatShape, leakyRelu, relu, type Generator } from '@fovea/core';
import { Conv3d, Dropout, Linear } from '@fovea/layers';

/** Options for {@link VoxNet}. @category Voxels */
export interface VoxNetOptions {
  /** Input grid size `G` (the grid is `G×G×G`); default 32 (the paper's). */
  gridSize?: number;
  /** Input channels (1 for occupancy); default 1. */
  inChannels?: number;
  /** Dropout after each stage (the paper's 0.2, 0.3, 0.4); default true. */
  dropout?: boolean;
  /** Random source for initialisation and dropout (default: core's default generator). */
  generator?: Generator;
}

/**
 * VoxNet (Maturana and Scherer, IROS 2015), a 3D CNN classifier of voxel
 * grids built on `@fovea/layers`' `Conv3d`: Conv3d(32, 5, stride 2) →
 * LeakyReLU(0.1) → Conv3d(32, 3) → LeakyReLU → 2×2×2 max pool → Linear(128)
 * → ReLU → Linear(K), with dropout between stages.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { VoxNet } from '@fovea/geometry3d';
 * const net = new VoxNet(10, { gridSize: 32 });
 * net.forward(tf.zeros([2, 32, 32, 32])).shape; // [2, 10]
 * ```
 * @category Voxels
 */
export class VoxNet extends Module<[tf.Tensor], tf.Tensor> {
  readonly conv1: Conv3d;
  readonly conv2: Conv3d;
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly drops: [Dropout, Dropout, Dropout] | null;
  readonly gridSize: number;
  readonly inChannels: number;

  /**
   * @param numClasses `K`.
   * @param opts gridSize, inChannels, dropout, generator.
   */
  constructor(numClasses: number, opts: VoxNetOptions = {}) {
    super();
    const op = 'VoxNet';
    checkNumber(op, 'numClasses', numClasses, { integer: true, min: 1 });
    this.gridSize = checkNumber(op, 'options.gridSize', opts.gridSize ?? 32, { integer: true, min: 12 });
    this.inChannels = checkNumber(op, 'options.inChannels', opts.inChannels ?? 1, { integer: true, min: 1 });
    const g = opts.generator ? { generator: opts.generator } : {};
    this.conv1 = this.registerModule('conv1', new Conv3d(this.inChannels, 32, 5, { stride: 2, ...g }));
    this.conv2 = this.registerModule('conv2', new Conv3d(32, 32, 3, g));
    const s1 = Math.floor((this.gridSize - 5) / 2) + 1;
    const s2 = Math.floor((s1 - 2) / 2); // conv 3 (valid), then pool 2
    this.fc1 = this.registerModule('fc1', new Linear(32 * s2 * s2 * s2, 128, g));
    this.fc2 = this.registerModule('fc2', new Linear(128, numClasses, g));
    if (opts.dropout ?? true) {
      this.drops = [0.2, 0.3, 0.4].map((p, i) => this.registerModule(`drop${i + 1}`, new Dropout(p, g))) as [Dropout, Dropout, Dropout];
    } else this.drops = null;
  }

  /** `voxels [N, G, G, G]` or `[N, G, G, G, C]` (channels last) → logits `[N, K]`. */
  forward(voxels: tf.Tensor): tf.Tensor {
    const op = 'VoxNet.forward';
    checkTensor(op, 'voxels', voxels, { rank: [4, 5], dtype: 'float32' });
    const G = this.gridSize;
    const want = voxels.rank === 4 ? [G, G, G] : [G, G, G, this.inChannels];
    if (voxels.rank === 4 && this.inChannels !== 1) throw new FoveaError({ op, arg: 'voxels', expected: `shape [N, ${G}, ${G}, ${G}, ${this.inChannels}]`, got: `shape ${formatShape(voxels.shape)}` });
    if (want.some((d, i) => voxels.shape[i + 1] !== d)) {
      throw new FoveaError({ op, arg: 'voxels', expected: `shape [N, ${want.join(', ')}]`, got: `shape ${formatShape(voxels.shape)}` });
    }
    return tf.tidy(() => {
      const drop = (i: number, x: tf.Tensor): tf.Tensor => (this.drops ? this.drops[i]!.forward(x) : x);
      const x = voxels.rank === 4 ? tf.expandDims(voxels, 4) : voxels; // [N, G, G, G, C]
      let h = drop(0, leakyRelu(this.conv1.forward(x), 0.1)); // [N, s1, s1, s1, 32]
      h = leakyRelu(this.conv2.forward(h), 0.1); // [N, s1-2, …, 32]
      h = drop(1, tf.maxPool3d(h as tf.Tensor5D, 2, 2, 'valid')); // [N, s2, s2, s2, 32]
      const flat = tf.reshape(h, [h.shape[0]!, -1]); // [N, 32·s2³]
      return this.fc2.forward(drop(2, relu(this.fc1.forward(flat)))); // [N, K]
    });
  }
}
