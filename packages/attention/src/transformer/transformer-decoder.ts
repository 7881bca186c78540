import * as tf from '@tensorflow/tfjs-core';
import { Module, ModuleList } from '@fovea/core';
import type { LayerNorm } from '@fovea/layers';
import type { TransformerDecoderLayer, TransformerDecoderLayerCallOptions } from './transformer-decoder-layer.js';
import { buildLayers, type TransformerStackOptions } from './transformer-encoder.js';

/**
 * A stack of decoder layers, PyTorch's `nn.TransformerDecoder`: each layer
 * attends to the same encoder `memory`; keys `layers.0.self_attn.*`,
 * `layers.0.multihead_attn.*`, …, and `norm.*` with a final norm.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { TransformerDecoder, TransformerDecoderLayer } from '@fovea/attention';
 * const dec = new TransformerDecoder(() => new TransformerDecoderLayer(32, 4, { dimFeedforward: 64 }), 2);
 * dec.forward(tf.randomNormal([2, 7, 32]), tf.randomNormal([2, 12, 32]), { tgtIsCausal: true }).shape; // [2, 7, 32]
 * ```
 * @category Transformer
 */
export class TransformerDecoder extends Module<[tf.Tensor, tf.Tensor, TransformerDecoderLayerCallOptions?], tf.Tensor> {
  /** The decoder layers (`layers.0`, `layers.1`, …). */
  readonly layers: ModuleList<TransformerDecoderLayer>;
  /** The final LayerNorm, or null. */
  readonly norm: LayerNorm | null;

  /**
   * @param layer builds layer `i` (called `numLayers` times).
   * @param numLayers how many layers.
   * @param opts norm.
   */
  constructor(layer: (i: number) => TransformerDecoderLayer, numLayers: number, opts: TransformerStackOptions = {}) {
    super();
    this.layers = this.registerModule('layers', new ModuleList(buildLayers('TransformerDecoder', layer, numLayers)));
    this.norm = this.registerModule('norm', opts.norm ?? null);
  }

  /** `tgt [B, T, E]`, `memory [B, S, E]` → `[B, T, E]`, the same masks at every layer. */
  forward(tgt: tf.Tensor, memory: tf.Tensor, opts: TransformerDecoderLayerCallOptions = {}): tf.Tensor {
    return tf.tidy(() => {
      let x = tgt;
      for (const layer of this.layers) x = layer.forward(x, memory, opts);
      return this.norm ? this.norm.forward(x) : tf.clone(x);
    });
  }
}
