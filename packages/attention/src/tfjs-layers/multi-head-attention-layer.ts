import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers.js';
import { FoveaError, checkNumber, formatShape } from '@fovea/core';
import { checkBool, checkSize } from '../_internal/args.js';
import { scaledDotProductAttention } from '../attention/scaled-dot-product-attention.js';

type Shape = tfl.Shape;

/** A serialized initializer, as Keras and `getConfig()` write it. @category tfjs-layers */
export interface InitializerConfig {
  /** The registered class name, e.g. `'GlorotUniform'`. */
  className: string;
  /** Its configuration, e.g. `{ seed: null }`. */
  config: tf.serialization.ConfigDict;
}

/** An initializer given by its tfjs name (`'glorotUniform'`, `'zeros'`, …) or as a Keras config (`{ className: 'GlorotUniform', config: {} }`). @category tfjs-layers */
export type InitializerSpec = string | InitializerConfig;

/** Arguments of {@link MultiHeadAttentionLayer} (Keras's `MultiHeadAttention` arguments, camelCased). @category tfjs-layers */
export interface MultiHeadAttentionLayerArgs extends LayerArgs {
  /** Number of heads `nh`. */
  numHeads: number;
  /** Size of each head for queries and keys. */
  keyDim: number;
  /** Size of each head for values; default `keyDim`. */
  valueDim?: number | null;
  /** Dropout on the attention weights during training (`fit`); default 0. */
  dropout?: number;
  /** Learn biases in the four projections; default `true`. */
  useBias?: boolean;
  /** Width of the output (Keras's `output_shape`, last dim only); default the query's width. */
  outputShape?: number | number[] | null;
  /** Causal self-attention: query `i` attends keys `j <= i`; default `false`. */
  useCausalMask?: boolean;
  /** Also output the attention scores `[B, nh, Tq, Tv]` (a second output); default `false`. */
  returnAttentionScores?: boolean;
  /** Kernel initializer; default `'glorotUniform'` (Keras). */
  kernelInitializer?: InitializerSpec;
  /** Bias initializer; default `'zeros'`. */
  biasInitializer?: InitializerSpec;
}

const INITIALIZERS: Record<string, () => Initializer> = {
  glorotUniform: () => tfl.initializers.glorotUniform({}),
  glorotNormal: () => tfl.initializers.glorotNormal({}),
  heUniform: () => tfl.initializers.heUniform({}),
  heNormal: () => tfl.initializers.heNormal({}),
  leCunUniform: () => tfl.initializers.leCunUniform({}),
  leCunNormal: () => tfl.initializers.leCunNormal({}),
  zeros: () => tfl.initializers.zeros(),
  ones: () => tfl.initializers.ones(),
};

/** Builds an initializer from a name or a Keras `{className, config}` (through tfjs's serialization registry). */
function initializer(spec: InitializerSpec, arg: string): Initializer {
  const op = 'MultiHeadAttentionLayer';
  if (typeof spec === 'string') {
    const make = INITIALIZERS[spec];
    if (!make) throw new FoveaError({ op, arg, expected: `one of ${Object.keys(INITIALIZERS).join(', ')} or a {className, config} object`, got: `'${spec}'` });
    return make();
  }
  const entry = typeof spec === 'object' && spec !== null ? tf.serialization.SerializationMap.getMap().classNameMap[spec.className] : undefined;
  if (!entry) throw new FoveaError({ op, arg, expected: 'a registered initializer class', got: JSON.stringify(spec) });
  const [cls, fromConfig] = entry;
  return fromConfig(cls, spec.config ?? {}) as Initializer;
}

function serializeInit(init: Initializer): tf.serialization.ConfigDict {
  return { className: init.getClassName(), config: init.getConfig() };
}

/** The `[query, value, key]` shapes of a call (a single input is self-attention). */
function inputShapes(shape: Shape | Shape[]): [Shape, Shape, Shape] {
  const list = (Array.isArray(shape[0]) ? shape : [shape]) as Shape[];
  if (list.length < 1 || list.length > 3 || list.some((s) => s.length !== 3)) {
    throw new FoveaError({ op: 'MultiHeadAttentionLayer', arg: 'inputs', expected: 'query [B, Tq, Dq], optionally value [B, Tv, Dv] and key [B, Tv, Dk] (rank 3 each)', got: JSON.stringify(shape) });
  }
  const q = list[0]!;
  const v = list[1] ?? q;
  return [q, v, list[2] ?? v];
}

/**
 * Multi-head attention as a TensorFlow.js **layers** `Layer` (the Keras
 * `MultiHeadAttention` that tfjs-layers 4.22 lacks), usable in
 * `tf.sequential` (self-attention over its input) and in `tf.model`
 * (`layer.apply([query, value])` or `[query, value, key]`), trainable with
 * `model.fit`, and savable with `model.save` / `tf.loadLayersModel` under the
 * class name `'MultiHeadAttention'` with Keras's weights (`query/kernel`
 * `[Dq, nh, keyDim]`, `query/bias` `[nh, keyDim]`, likewise `key/*`, `value/*`,
 * and `attention_output/kernel` `[nh, valueDim, Dout]`, `attention_output/bias`).
 * Call {@link registerAttentionLayers} before loading a saved model in a
 * fresh process (constructing a layer registers the class too). It runs on
 * matmuls (tfjs has no Einsum gradient), so it trains on every backend. Call
 * options: `training`, `attentionMask` (`[B, Tq, Tv]`, 1/true = may attend),
 * `useCausalMask`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { MultiHeadAttentionLayer } from '@fovea/attention';
 * const model = tfl.sequential({ layers: [
 *   new MultiHeadAttentionLayer({ numHeads: 4, keyDim: 16, inputShape: [10, 64] }), // [B, 10, 64] → [B, 10, 64]
 *   tfl.layers.globalAveragePooling1d(),
 *   tfl.layers.dense({ units: 3, activation: 'softmax' }),
 * ] });
 * model.predict(tf.zeros([2, 10, 64])).shape; // [2, 3]
 * await model.save('indexeddb://mha-model'); // and back with tfl.loadLayersModel
 * ```
 * @category tfjs-layers
 */
export class MultiHeadAttentionLayer extends tfl.layers.Layer {
  /** The registered class name (Keras's). */
  static className = 'MultiHeadAttention';
  /** `nh`, the number of heads. */
  readonly numHeads: number;
  /** Size of each head for queries and keys. */
  readonly keyDim: number;
  /** Size of each head for values. */
  readonly valueDim: number;
  /** Dropout on the attention weights during training. */
  readonly dropoutRate: number;
  /** Whether the projections have biases. */
  readonly useBias: boolean;
  /** The output width, or null for the query width. */
  readonly outputDim: number | null;
  /** Whether attention is causal. */
  readonly useCausalMask: boolean;
  /** Whether the scores are a second output. */
  readonly returnAttentionScores: boolean;
  private readonly kernelInit: Initializer;
  private readonly biasInit: Initializer;
  private w: Record<string, tfl.LayerVariable> = {};

  /** @param args numHeads, keyDim and the rest of {@link MultiHeadAttentionLayerArgs}. */
  constructor(args: MultiHeadAttentionLayerArgs) {
    super(args);
    const op = 'MultiHeadAttentionLayer';
    if (typeof args !== 'object' || args === null) throw new FoveaError({ op, arg: 'args', expected: 'an object with numHeads and keyDim', got: String(args) });
    this.numHeads = checkSize(op, 'args.numHeads', args.numHeads);
    this.keyDim = checkSize(op, 'args.keyDim', args.keyDim);
    this.valueDim = checkSize(op, 'args.valueDim', args.valueDim ?? this.keyDim);
    this.dropoutRate = checkNumber(op, 'args.dropout', args.dropout ?? 0, { min: 0, lt: 1 });
    this.useBias = checkBool(op, 'args.useBias', args.useBias ?? true);
    const out = args.outputShape ?? null;
    this.outputDim = out === null ? null : checkSize(op, 'args.outputShape', Array.isArray(out) ? (out.length === 1 ? out[0] : NaN) : out);
    this.useCausalMask = checkBool(op, 'args.useCausalMask', args.useCausalMask ?? false);
    this.returnAttentionScores = checkBool(op, 'args.returnAttentionScores', args.returnAttentionScores ?? false);
    this.kernelInit = initializer(args.kernelInitializer ?? 'glorotUniform', 'args.kernelInitializer');
    this.biasInit = initializer(args.biasInitializer ?? 'zeros', 'args.biasInitializer');
    registerAttentionLayers();
  }

  override build(inputShape: Shape | Shape[]): void {
    const [q, v, k] = inputShapes(inputShape);
    const nh = this.numHeads;
    const dq = q[2]!;
    const dout = this.outputDim ?? dq;
    const add = (name: string, shape: number[], bias: boolean) => {
      this.w[name] = this.addWeight(name, shape, 'float32', bias ? this.biasInit : this.kernelInit);
    };
    add('query/kernel', [dq, nh, this.keyDim], false);
    add('key/kernel', [k[2]!, nh, this.keyDim], false);
    add('value/kernel', [v[2]!, nh, this.valueDim], false);
    add('attention_output/kernel', [nh, this.valueDim, dout], false);
    if (this.useBias) {
      add('query/bias', [nh, this.keyDim], true);
      add('key/bias', [nh, this.keyDim], true);
      add('value/bias', [nh, this.valueDim], true);
      add('attention_output/bias', [dout], true);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const [q, v] = inputShapes(inputShape);
    const out: Shape = [q[0]!, q[1]!, this.outputDim ?? q[2]!];
    return this.returnAttentionScores ? [out, [q[0]!, this.numHeads, q[1]!, v[1]!]] : out;
  }

  /** `x [B, T, D]` through `kernel [D, nh, d]` (+ `bias [nh, d]`) → `[B, nh, T, d]`. */
  private project(x: tf.Tensor, name: string): tf.Tensor {
    const [b, t, dim] = x.shape as [number, number, number];
    const kernel = this.w[`${name}/kernel`]!.read();
    const [, nh, d] = kernel.shape as [number, number, number];
    let y = tf.matMul(tf.reshape(x, [b * t, dim]), tf.reshape(kernel, [dim, nh * d])); // [B·T, nh·d]
    if (this.useBias) y = tf.add(y, tf.reshape(this.w[`${name}/bias`]!.read(), [nh * d]));
    return tf.transpose(tf.reshape(y, [b, t, nh, d]), [0, 2, 1, 3]); // [B, nh, T, d]
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const query = list[0]!;
      const value = list[1] ?? query;
      const key = list[2] ?? value;
      const [b, tq] = query.shape as [number, number];
      const tv = value.shape[1]!;
      if (key.shape[1] !== tv || key.shape[0] !== b || value.shape[0] !== b) {
        throw new FoveaError({ op: 'MultiHeadAttentionLayer.call', arg: 'inputs', expected: 'value and key with the same batch and length [B, Tv, ·]', got: `query ${formatShape(query.shape)}, value ${formatShape(value.shape)}, key ${formatShape(key.shape)}` });
      }
      const mask = kwargs['attentionMask'] as tf.Tensor | undefined;
      // Keras masks with a large negative (-1e9), so a fully masked row attends uniformly
      const additive = mask ? tf.mul(tf.sub(1, tf.cast(tf.reshape(mask, [b, 1, tq, tv]), 'float32')), -1e9) : null;
      const r = scaledDotProductAttention(this.project(query, 'query'), this.project(key, 'key'), this.project(value, 'value'), {
        mask: additive,
        isCausal: this.useCausalMask || kwargs['useCausalMask'] === true,
        dropoutP: this.dropoutRate,
        training: kwargs['training'] === true,
      }); // output [B, nh, Tq, dv], weights [B, nh, Tq, Tv]
      const merged = tf.reshape(tf.transpose(r.output, [0, 2, 1, 3]), [b * tq, this.numHeads * this.valueDim]); // [B·Tq, nh·dv]
      const wo = this.w['attention_output/kernel']!.read();
      const dout = wo.shape[2]!;
      let out = tf.matMul(merged, tf.reshape(wo, [this.numHeads * this.valueDim, dout])); // [B·Tq, Dout]
      if (this.useBias) out = tf.add(out, this.w['attention_output/bias']!.read());
      const y = tf.reshape(out, [b, tq, dout]); // [B, Tq, Dout]
      return this.returnAttentionScores ? [y, r.weights] : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropoutRate,
      useBias: this.useBias,
      outputShape: this.outputDim,
      useCausalMask: this.useCausalMask,
      returnAttentionScores: this.returnAttentionScores,
      kernelInitializer: serializeInit(this.kernelInit),
      biasInitializer: serializeInit(this.biasInit),
    };
  }
}

let registered = false;

/**
 * Registers {@link MultiHeadAttentionLayer} with `tf.serialization` so
 * `tf.loadLayersModel` can rebuild saved models that use it. Importing the
 * package registers nothing; constructing a layer registers it too. Idempotent.
 *
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { registerAttentionLayers } from '@fovea/attention';
 * registerAttentionLayers();
 * const model = await tfl.loadLayersModel('indexeddb://mha-model');
 * ```
 * @category tfjs-layers
 */
export function registerAttentionLayers(): void {
  if (registered) return;
  tf.serialization.registerClass(MultiHeadAttentionLayer);
  registered = true;
}
