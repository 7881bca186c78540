import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ModuleList } from '@fovea/core';
import type { LayerNorm } from '@fovea/layers';
import { checkSize } from '../_internal/args.js';
import type { TransformerEncoderLayer, TransformerEncoderLayerCallOptions } from './transformer-encoder-layer.js';

/** Options of {@link TransformerEncoder} and {@link TransformerDecoder}. @category Transformer */
export interface TransformerStackOptions {
  /** A final layer norm after the last layer (PyTorch's `norm`, needed after pre-norm layers); default none. The stack owns it. */
  norm?: LayerNorm | null;
}

/** @internal Builds `numLayers` layers from a factory, checking each is a fresh Module. */
export function buildLayers<M extends Module>(op: string, factory: (i: number) => M, numLayers: number): M[] {
  if (typeof factory !== 'function') throw new FoveaError({ op, arg: 'layer', expected: 'a function (i) => layer returning a new layer each call', got: typeof factory });
  const n = checkSize(op, 'numLayers', numLayers, 0);
  const layers: M[] = [];
  for (let i = 0; i < n; i++) {
    const l = factory(i);
    if (!(l instanceof Module) || layers.includes(l)) {
      layers.forEach((x) => x.dispose());
      throw new FoveaError({ op, arg: 'layer', expected: 'a factory returning a new Module each call (PyTorch deep-copies the layer)', got: l instanceof Module ? 'the same module twice' : typeof l });
    }
    layers.push(l);
  }
  return layers;
}

/**
 * A stack of encoder layers, PyTorch's `nn.TransformerEncoder`: state-dict
 * keys `layers.0.self_attn.in_proj_weight`, …, and `norm.weight` when a final
 * norm is given. PyTorch deep-copies one layer `numLayers` times; here a
 * factory builds each (so each has its own random initial weights).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LayerNorm } from '@fovea/layers';
 * import { TransformerEncoder, TransformerEncoderLayer } from '@fovea/attention';
 * const enc = new TransformerEncoder(() => new TransformerEncoderLayer(64, 4, { dimFeedforward: 128, normFirst: true }), 3, { norm: new LayerNorm(64) });
 * enc.forward(tf.randomNormal([2, 10, 64])).shape; // [2, 10, 64]
 * ```
 * @category Transformer
 */
export class TransformerEncoder extends Module<[tf.Tensor, TransformerEncoderLayerCallOptions?], tf.Tensor> {
  /** The encoder layers (`layers.0`, `layers.1`, …). */
  readonly layers: ModuleList<TransformerEncoderLayer>;
  /** The final LayerNorm, or null. */
  readonly norm: LayerNorm | null;

  /**
   * @param layer builds layer `i` (called `numLayers` times).
   * @param numLayers how many layers.
   * @param opts norm.
   */
  constructor(layer: (i: number) => TransformerEncoderLayer, numLayers: number, opts: TransformerStackOptions = {}) {
    super();
    this.layers = this.registerModule('layers', new ModuleList(buildLayers('TransformerEncoder', layer, numLayers)));
    this.norm = this.registerModule('norm', opts.norm ?? null);
  }

  /** `src [B, S, E]` → `[B, S, E]`, the same masks at every layer. */
  forward(src: tf.Tensor, opts: TransformerEncoderLayerCallOptions = {}): tf.Tensor {
    return tf.tidy(() => {
      let x = src;
      for (const layer of this.layers) x = layer.forward(x, opts);
      return this.norm ? this.norm.forward(x) : tf.clone(x);
    });
  }
}
