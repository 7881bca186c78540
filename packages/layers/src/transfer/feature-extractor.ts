import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module } from '@fovea/core';
import { freeze } from './freeze.js';

/** A network that can produce features: a function, a Module with `features()` / `forwardFeatures()` (ResNet, ConvNet), or any Module. */
type Backbone = Module & { features?: (x: tf.Tensor) => tf.Tensor; forwardFeatures?: (x: tf.Tensor) => tf.Tensor };

/** Options for {@link FeatureExtractor}. @category Transfer learning */
export interface FeatureExtractorOptions {
  /** Freeze the backbone (parameters and BatchNorm statistics); default `true`. */
  frozen?: boolean;
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
 * ```
 * @category Transfer learning
 */
export class FeatureExtractor extends Module<[tf.Tensor], tf.Tensor> {
  readonly backbone: Backbone;

  /**
   * @param backbone the pretrained network.
   * @param opts frozen.
   */
  constructor(backbone: Module, opts: FeatureExtractorOptions = {}) {
    super();
    if (!(backbone instanceof Module)) throw new FoveaError({ op: 'FeatureExtractor', arg: 'backbone', expected: 'a Module', got: typeof backbone });
    this.backbone = this.registerModule('backbone', backbone as Backbone);
    if (opts.frozen ?? true) freeze(backbone);
  }

  /** `x` → the backbone's features. */
  forward(x: tf.Tensor): tf.Tensor {
    const b = this.backbone;
    if (typeof b.features === 'function') return b.features(x);
    if (typeof b.forwardFeatures === 'function') return b.forwardFeatures(x);
    return b.forward(x) as tf.Tensor;
  }
}
