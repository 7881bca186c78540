import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ModuleList, checkNumber, type Generator } from '@fovea/core';
import { Conv2d, interpolate } from '@fovea/layers';

/** Options for {@link FeaturePyramid}. @category Detectors */
export interface FeaturePyramidOptions {
  /** How many of the finest levels get an output (3×3) convolution and are returned; default all. */
  outputs?: number;
  /** Random source for the initial weights; default core's default generator. */
  generator?: Generator;
}

/**
 * A feature pyramid network (Lin et al., CVPR 2017), torchvision's
 * `FeaturePyramidNetwork`: a 1×1 lateral convolution per input level, a
 * top-down path that upsamples the coarser merged map (nearest neighbour,
 * @fovea/layers' `interpolate`) and adds it to the lateral one, and a 3×3
 * output convolution per level. Every output has `outChannels` channels and
 * mixes fine detail with coarse context, so a small object can be found on a
 * fine map that still "sees" its surroundings.
 *
 * State-dict keys: `inner_blocks.<i>.*` (laterals), `layer_blocks.<i>.*` (outputs).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FeaturePyramid } from '@fovea/detection';
 * const fpn = new FeaturePyramid([32, 64], 48);
 * const [p2, p3] = fpn.forward([tf.zeros([1, 16, 16, 32]), tf.zeros([1, 8, 8, 64])]);
 * p2.shape; // [1, 16, 16, 48]
 * ```
 * @category Detectors
 */
export class FeaturePyramid extends Module<[tf.Tensor[]], tf.Tensor4D[]> {
  /** Channels of every output. */
  readonly outChannels: number;
  /** Number of (finest) levels returned. */
  readonly numOutputs: number;
  private readonly inner: ModuleList<Conv2d>;
  private readonly layer: ModuleList<Conv2d>;

  /**
   * @param inChannels channels of each input level, finest first.
   * @param outChannels channels of every output level.
   * @param opts outputs, generator.
   */
  constructor(inChannels: readonly number[], outChannels: number, opts: FeaturePyramidOptions = {}) {
    super();
    const op = 'FeaturePyramid';
    if (!Array.isArray(inChannels) || inChannels.length === 0) {
      throw new FoveaError({ op, arg: 'inChannels', expected: 'a non-empty list of channel counts', got: JSON.stringify(inChannels) });
    }
    inChannels.forEach((c, i) => checkNumber(op, `inChannels[${i}]`, c, { integer: true, min: 1 }));
    this.outChannels = checkNumber(op, 'outChannels', outChannels, { integer: true, min: 1 });
    this.numOutputs = checkNumber(op, 'options.outputs', opts.outputs ?? inChannels.length, { integer: true, min: 1, max: inChannels.length });
    const gen = opts.generator ? { generator: opts.generator } : {};
    this.inner = this.registerModule('inner_blocks', new ModuleList(inChannels.map((c) => new Conv2d(c, outChannels, 1, gen))));
    const outs = Array.from({ length: this.numOutputs }, () => new Conv2d(outChannels, outChannels, 3, { padding: 1, ...gen }));
    this.layer = this.registerModule('layer_blocks', new ModuleList(outs));
  }

  /**
   * @param features one `[N, h_i, w_i, inChannels[i]]` map per level, finest first (each level about half the size of the previous).
   * @returns the `outputs` finest merged maps, `[N, h_i, w_i, outChannels]`.
   */
  forward(features: tf.Tensor[]): tf.Tensor4D[] {
    const op = 'FeaturePyramid.forward';
    const inner = [...this.inner];
    if (!Array.isArray(features) || features.length !== inner.length) {
      throw new FoveaError({ op, arg: 'features', expected: `${inner.length} feature maps`, got: Array.isArray(features) ? `${features.length}` : typeof features });
    }
    const layer = [...this.layer];
    return tf.tidy(() => {
      const out: tf.Tensor4D[] = [];
      let last = inner[inner.length - 1]!.forward(features[features.length - 1]!); // [N, h_L, w_L, D]
      for (let i = inner.length - 1; i >= 0; i--) {
        if (i < inner.length - 1) {
          const lateral = inner[i]!.forward(features[i]!); // [N, h_i, w_i, D]
          const size: [number, number] = [lateral.shape[1]!, lateral.shape[2]!];
          last = tf.add(lateral, interpolate(last, { size, mode: 'nearest' })) as tf.Tensor4D;
        }
        if (i < this.numOutputs) out.unshift(layer[i]!.forward(last));
      }
      return out;
    });
  }
}
