import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, Sequential } from '@fovea/core';
import { freeze } from './freeze.js';

/**
 * A network that can produce features: a Module with `features()` /
 * `forwardFeatures()` (ResNet, ConvNet), a `Sequential`, or any Module.
 *
 * @category Transfer learning
 */
export type Backbone = Module & {
  /** Pooled features `[N, D]` (ResNet). */
  features?: (x: tf.Tensor) => tf.Tensor;
  /** Flattened features `[N, D]` (ConvNet). */
  forwardFeatures?: (x: tf.Tensor) => tf.Tensor;
};

/** Options for {@link FeatureExtractor}. @category Transfer learning */
export interface FeatureExtractorOptions {
  /** Freeze the backbone (parameters and BatchNorm statistics) and run it in eval mode (no dropout); default `true`. */
  frozen?: boolean;
  /**
   * For a `Sequential` backbone: the child (by name, e.g. `'11'`) whose output
   * is the feature — the children run in order up to and including it.
   * Default: the backbone's `features()` / `forwardFeatures()`, else its output.
   */
  layer?: string;
}

/**
 * A pretrained network used as a fixed feature extractor: `forward(x)`
 * returns the backbone's features (ResNet's pooled `[N, D]` features,
 * ConvNet's flattened features, or the output of any Module), with the
 * backbone frozen and its BatchNorm statistics pinned, so a small classifier
 * can be trained on top (or the features fed to kNN / a linear classifier).
 * The backbone is a child named `backbone`; disposing the extractor disposes it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FeatureExtractor, resnet18 } from '@fovea/layers';
 * const fx = new FeatureExtractor(resnet18());
 * fx.forward(tf.zeros([2, 64, 64, 3])).shape; // [2, 512]
 * // a Sequential backbone: the output of its child '3'
 * // new FeatureExtractor(net, { layer: '3' })
 * ```
 * @category Transfer learning
 */
export class FeatureExtractor extends Module<[tf.Tensor], tf.Tensor> {
  /** The wrapped network. */
  readonly backbone: Backbone;
  private readonly upTo: string[] | null;
  private readonly frozen: boolean;

  /**
   * @param backbone the pretrained network.
   * @param opts frozen.
   */
  constructor(backbone: Module, opts: FeatureExtractorOptions = {}) {
    super();
    if (!(backbone instanceof Module)) throw new FoveaError({ op: 'FeatureExtractor', arg: 'backbone', expected: 'a Module', got: typeof backbone });
    let upTo: string[] | null = null;
    if (opts.layer !== undefined) {
      const names = backbone.namedChildren ? [...backbone.namedChildren()].map(([n]) => n) : [];
      const at = names.indexOf(opts.layer);
      if (!(backbone instanceof Sequential) || at < 0) {
        throw new FoveaError({ op: 'FeatureExtractor', arg: 'options.layer', expected: `a child of a Sequential backbone (${names.slice(0, 12).join(', ')})`, got: `'${opts.layer}'` });
      }
      upTo = names.slice(0, at + 1);
    }
    this.upTo = upTo;
    this.frozen = opts.frozen ?? true;
    this.backbone = this.registerModule('backbone', backbone as Backbone);
    if (this.frozen) freeze(backbone);
  }

  /** `x` → the backbone's features (computed in eval mode when frozen). */
  forward(x: tf.Tensor): tf.Tensor {
    const b = this.backbone;
    const mode = b.training;
    if (this.frozen) b.eval();
    try {
      if (this.upTo) {
        return tf.tidy(() => {
          let h = x;
          for (const name of this.upTo!) h = (b.getModule(name) as Module<[tf.Tensor], tf.Tensor>).forward(h);
          return h;
        });
      }
      if (typeof b.features === 'function') return b.features(x);
      if (typeof b.forwardFeatures === 'function') return b.forwardFeatures(x);
      return b.forward(x) as tf.Tensor;
    } finally {
      if (this.frozen) b.train(mode);
    }
  }
}
