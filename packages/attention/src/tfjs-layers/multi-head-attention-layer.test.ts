import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { MultiHeadAttentionLayer, MultiheadAttention, registerAttentionLayers } from '../index.js';
import { rand } from '../../test/helpers.js';

/** Saves a model into memory and loads it back with tfl.loadLayersModel. */
async function roundTrip(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(saved!));
}

describe('MultiHeadAttentionLayer (tfjs-layers)', () => {
  it('works in tf.sequential, trains with fit, and round-trips through model.save / tf.loadLayersModel', async () => {
    const model = tfl.sequential({
      layers: [
        new MultiHeadAttentionLayer({ numHeads: 2, keyDim: 4, inputShape: [6, 8], name: 'mha' }),
        tfl.layers.globalAveragePooling1d({}),
        tfl.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    const optimizer = tf.train.adam(0.01);
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    const x = rand([16, 6, 8], 1);
    // label: whether the first token's first feature beats the last token's
    const y = tf.tidy(() => tf.oneHot(tf.reshape(tf.cast(tf.greater(tf.slice(x, [0, 0, 0], [16, 1, 1]), tf.slice(x, [0, 5, 0], [16, 1, 1])), 'int32'), [16]), 2));
    const hist = await model.fit(x, y, { epochs: 25, batchSize: 16, verbose: 0 });
    const losses = hist.history['loss'] as number[];
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.8);
    expect(model.getLayer('mha').getWeights().map((w) => w.shape)).toEqual([[8, 2, 4], [8, 2, 4], [8, 2, 4], [2, 4, 8], [2, 4], [2, 4], [2, 4], [8]]);

    const loaded = await roundTrip(model);
    expect(loaded.getLayer('mha')).toBeInstanceOf(MultiHeadAttentionLayer);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expectClose(b, a, { atol: 1e-6 });
    tf.dispose([a, b, x, y]);
    optimizer.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('cross-attention in tf.model with attention scores as a second output, also after loading', async () => {
    const query = tfl.input({ shape: [3, 8] });
    const value = tfl.input({ shape: [5, 6] });
    const layer = new MultiHeadAttentionLayer({ numHeads: 2, keyDim: 4, valueDim: 3, outputShape: 7, returnAttentionScores: true });
    const [out, scores] = layer.apply([query, value]) as tfl.SymbolicTensor[];
    expect(out!.shape).toEqual([null, 3, 7]);
    expect(scores!.shape).toEqual([null, 2, 3, 5]);
    const model = tfl.model({ inputs: [query, value], outputs: [out!, scores!] });
    const q = rand([2, 3, 8], 2);
    const v = rand([2, 5, 6], 3);
    const loaded = await roundTrip(model);
    const a = model.predict([q, v]) as tf.Tensor[];
    const b = loaded.predict([q, v]) as tf.Tensor[];
    expectClose(b[0]!, a[0]!, { atol: 1e-6 });
    expectClose(b[1]!, a[1]!, { atol: 1e-6 });
    tf.tidy(() => expectClose(tf.sum(a[1]!, -1), tf.ones([2, 2, 3]), { atol: 1e-5 }));
    tf.dispose([...a, ...b, q, v]);
    model.dispose();
    loaded.dispose();
  });

  it('computes what the PyTorch-shaped MultiheadAttention computes with the same weights', () => {
    const e = 8;
    const nh = 2;
    const mha = new MultiheadAttention(e, nh);
    const layer = new MultiHeadAttentionLayer({ numHeads: nh, keyDim: e / nh });
    tf.tidy(() => {
      const x = rand([2, 5, e], 4);
      layer.apply(x); // builds the weights
      const sd = mha.stateDict();
      const [wq, wk, wv] = tf.split(sd['in_proj_weight']!, 3); // [E, E] each, torch [out, in]
      const [bq, bk, bv] = tf.split(sd['in_proj_bias']!, 3);
      const kernel = (w: tf.Tensor) => tf.reshape(tf.transpose(w), [e, nh, e / nh]); // Keras [in, nh, hs]
      layer.setWeights([
        kernel(wq!), kernel(wk!), kernel(wv!), tf.reshape(tf.transpose(sd['out_proj.weight']!), [nh, e / nh, e]),
        tf.reshape(bq!, [nh, e / nh]), tf.reshape(bk!, [nh, e / nh]), tf.reshape(bv!, [nh, e / nh]), sd['out_proj.bias']!,
      ]);
      const mask = tf.tensor3d([1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [2, 5, 5]);
      const got = layer.apply(x, { attentionMask: mask }) as tf.Tensor;
      const pad = tf.reshape(tf.equal(mask, 0), [2, 1, 5, 5]);
      const blocked = tf.reshape(tf.tile(pad, [1, nh, 1, 1]), [2 * nh, 5, 5]); // [B·nh, Nq, Nk], true = blocked
      expectClose(got, mha.forward(x, x, x, { attnMask: blocked }).output, { atol: 1e-5 });
      const causal = layer.apply(x, { useCausalMask: true }) as tf.Tensor;
      expectClose(causal, mha.forward(x, x, x, { isCausal: true }).output, { atol: 1e-5 });
    });
    mha.dispose();
    layer.dispose();
  });

  it('is registered for deserialization by registerAttentionLayers, and validates its arguments', () => {
    registerAttentionLayers();
    expect(tf.serialization.SerializationMap.getMap().classNameMap['MultiHeadAttention']?.[0]).toBe(MultiHeadAttentionLayer);
    expect(() => new MultiHeadAttentionLayer({ numHeads: 0, keyDim: 4 })).toThrow(/MultiHeadAttentionLayer: args\.numHeads must be an integer >= 1, got 0/);
    expect(() => new MultiHeadAttentionLayer({ numHeads: 2, keyDim: 4, kernelInitializer: 'nope' })).toThrow(/args\.kernelInitializer must be one of glorotUniform/);
  });
});
