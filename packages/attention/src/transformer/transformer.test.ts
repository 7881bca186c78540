import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GELU } from '@fovea/core';
import { LayerNorm } from '@fovea/layers';
import { expectClose } from '@fovea/test-utils';
import {
  Transformer,
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
  generateSquareSubsequentMask,
  type TransformerActivation,
} from '../index.js';
import { fixtures, gradsOf, rand, stateOf, t } from '../../test/helpers.js';

describe('TransformerDecoderLayer against torch.nn.TransformerDecoderLayer', () => {
  for (const [i, c] of (fixtures().decoder_layer as any[]).entries()) {
    it(`case ${i}: ${c.norm_first ? 'pre' : 'post'}-norm, ${c.activation}, causal target, padded memory`, () => {
      const m = new TransformerDecoderLayer(c.d_model, c.nhead, { dimFeedforward: c.dim_feedforward, dropout: 0, activation: c.activation as TransformerActivation, normFirst: c.norm_first });
      tf.tidy(() => {
        m.loadStateDict(stateOf(c.state));
        const opts = { tgtIsCausal: true, memoryKeyPaddingMask: t(c.memory_key_padding_mask) };
        const [tgt, mem] = [t(c.tgt), t(c.memory)];
        expectClose(m.forward(tgt, mem, opts), t(c.y), { atol: 2e-5, rtol: 1e-4 });
        const [dt, dm] = gradsOf((a, b) => m.forward(a!, b!, opts), [tgt, mem], t(c.seed));
        expectClose(dt!, t(c.dtgt), { atol: 1e-4, rtol: 1e-3 });
        expectClose(dm!, t(c.dmemory), { atol: 1e-4, rtol: 1e-3 });
      });
      m.dispose();
    });
  }
});

describe('TransformerEncoder and Transformer against PyTorch', () => {
  it('a 3-layer pre-norm GELU encoder with a final norm and a padding mask', () => {
    const c = fixtures().encoder_stack;
    const enc = new TransformerEncoder(() => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, activation: 'gelu', normFirst: true }), 3, { norm: new LayerNorm(8) });
    tf.tidy(() => {
      enc.loadStateDict(stateOf(c.state));
      expectClose(enc.forward(t(c.src), { srcKeyPaddingMask: t(c.src_key_padding_mask) }), t(c.y), { atol: 2e-5, rtol: 1e-4 });
    });
    enc.dispose();
  });

  it('nn.Transformer (2 + 2 pre-norm layers) with generate_square_subsequent_mask', () => {
    const c = fixtures().transformer;
    const m = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 16, dropout: 0, normFirst: true });
    tf.tidy(() => {
      const sd = stateOf(c.state);
      expect(Object.keys(m.stateDict()).sort()).toEqual(Object.keys(sd).sort());
      m.loadStateDict(sd);
      m.eval();
      const mask = generateSquareSubsequentMask(4);
      expectClose(m.forward(t(c.src), t(c.tgt), { tgtMask: mask }), t(c.y), { atol: 2e-5, rtol: 1e-4 });
      expectClose(m.forward(t(c.src), t(c.tgt), { tgtIsCausal: true }), t(c.y), { atol: 2e-5, rtol: 1e-4 });
    });
    m.dispose();
  });
});

describe('Transformer layers', () => {
  it('pre-norm and post-norm compose their sub-blocks as documented', () => {
    for (const normFirst of [false, true]) {
      const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 12, dropout: 0, normFirst, activation: (x) => new GELU({ approximate: 'tanh' }).forward(x) });
      tf.tidy(() => {
        const x = rand([2, 5, 8], 3);
        const sa = (h: tf.Tensor) => layer.selfAttn.forward(h, h, h, { needWeights: false }).output;
        const ff = (h: tf.Tensor) => layer.linear2.forward(new GELU({ approximate: 'tanh' }).forward(layer.linear1.forward(h)));
        let want: tf.Tensor;
        if (normFirst) {
          const h = tf.add(x, sa(layer.norm1.forward(x)));
          want = tf.add(h, ff(layer.norm2.forward(h)));
        } else {
          const h = layer.norm1.forward(tf.add(x, sa(x)));
          want = layer.norm2.forward(tf.add(h, ff(h)));
        }
        expectClose(layer.forward(x), want, { atol: 1e-5 });
      });
      layer.dispose();
    }
  });

  it('the decoder stack feeds the same memory to every layer; dropout is active in training only', () => {
    const dec = new TransformerDecoder(() => new TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.3 }), 2);
    tf.tidy(() => {
      const tgt = rand([1, 3, 8], 4);
      const mem = rand([1, 5, 8], 5);
      const layered = dec.layers.at(1).forward(dec.layers.at(0).forward(tgt, mem), mem);
      expect(tf.max(tf.abs(tf.sub(dec.forward(tgt, mem), layered))).dataSync()[0]).toBeGreaterThan(1e-4); // two dropout draws differ
      dec.eval();
      expectClose(dec.forward(tgt, mem), dec.layers.at(1).forward(dec.layers.at(0).forward(tgt, mem), mem), { atol: 1e-6 });
    });
    dec.dispose();
  });

  it('generateSquareSubsequentMask is PyTorch’s -inf upper triangle; factories must build new layers', () => {
    tf.tidy(() => {
      expect(generateSquareSubsequentMask(3).arraySync()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
    });
    const shared = new TransformerEncoderLayer(4, 1, { dimFeedforward: 4 });
    expect(() => new TransformerEncoder(() => shared, 2)).toThrow(/TransformerEncoder: layer must be a factory returning a new Module each call/);
    shared.dispose();
    expect(() => new TransformerEncoderLayer(6, 4)).toThrow(/dModel must be divisible by nhead \(4\), got 6/);
    expect(() => new TransformerEncoderLayer(4, 2, { activation: 'swish' as never })).toThrow(/options\.activation must be 'relu', 'gelu' or a function/);
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 4 });
    tf.tidy(() => {
      expect(() => layer.forward(tf.zeros([1, 3, 5]))).toThrow(/TransformerEncoderLayer\.forward: src must be \[B, S, 4\]/);
    });
    layer.dispose();
  });
});
