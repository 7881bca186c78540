/** Conformance handlers for `attention.*` ops: each maps a case to @fovea/attention's public API. */
import * as tf from '@tensorflow/tfjs-core';
import { nchwToNhwc, nhwcToNchw, type Module, type Parameter, type StateDict } from '@fovea/core';
import {
  CBAM,
  MultiheadAttention,
  PatchEmbed,
  SqueezeExcitation,
  TransformerEncoderLayer,
  scaledDotProductAttention,
  sinusoidalPositionEncoding,
  type TransformerActivation,
} from '@fovea/attention';
import { withGrads } from '../grad.js';
import type { OpContext, OpHandler } from '../types.js';

type Attrs = Record<string, unknown>;

/** The case inputs whose names are state-dict keys (everything but the listed data inputs). */
function stateDict(inputs: Record<string, tf.Tensor>, except: string[]): StateDict {
  const out: StateDict = {};
  for (const [k, v] of Object.entries(inputs)) if (!except.includes(k)) out[k] = v;
  return out;
}

/** The module's parameters by state-dict name, for `withGrads`. */
function paramsOf(m: Module): Record<string, Parameter> {
  return Object.fromEntries(m.namedParameters());
}

/** Loads `dict` into a fresh module, runs `fn`, and always disposes the module. */
function withModule<M extends Module, R>(m: M, dict: StateDict, fn: (m: M) => R): R {
  try {
    m.loadStateDict(dict);
    return fn(m);
  } finally {
    m.dispose();
  }
}

/** Runs an NHWC `forward` on the case's NCHW `x`, with gradients, converting with core's interop helpers. */
function runImage(ctx: OpContext, m: Module, forward: (x: tf.Tensor) => tf.Tensor): Record<string, tf.Tensor> {
  return withGrads(ctx, (inputs) => ({ y: nhwcToNchw(forward(nchwToNhwc(inputs['x']!))) }), paramsOf(m));
}

const sdpOp: OpHandler = (ctx) => {
  const a: Attrs = ctx.attrs;
  return withGrads(ctx, (inputs) => {
    const { output, weights } = scaledDotProductAttention(inputs['q']!, inputs['k']!, inputs['v']!, {
      mask: inputs['mask'] ?? null,
      isCausal: (a['is_causal'] as boolean) ?? false,
      scale: (a['scale'] as number | null) ?? null,
    });
    return { y: output, weights };
  });
};

const mhaOp: OpHandler = (ctx) => {
  const a: Attrs = ctx.attrs;
  const e = ctx.inputs['query']!.shape[2]!;
  const m = new MultiheadAttention(e, a['num_heads'] as number);
  const dict = stateDict(ctx.inputs, ['query', 'key', 'value', 'key_padding_mask', 'attn_mask']);
  return withModule(m, dict, () =>
    withGrads(
      ctx,
      (inputs) => {
        const r = m.forward(inputs['query']!, inputs['key']!, inputs['value']!, {
          keyPaddingMask: inputs['key_padding_mask'] ?? null,
          attnMask: inputs['attn_mask'] ?? null,
          needWeights: (a['need_weights'] as boolean) ?? true,
          averageAttnWeights: (a['average_attn_weights'] as boolean) ?? true,
        });
        const out: Record<string, tf.Tensor> = { out: r.output };
        if (r.weights) out['weights'] = r.weights;
        return out;
      },
      paramsOf(m),
    ),
  );
};

const encoderLayerOp: OpHandler = (ctx) => {
  const a: Attrs = ctx.attrs;
  const m = new TransformerEncoderLayer(a['d_model'] as number, a['nhead'] as number, {
    dimFeedforward: a['dim_feedforward'] as number,
    dropout: 0,
    activation: (a['activation'] as TransformerActivation) ?? 'relu',
    layerNormEps: (a['layer_norm_eps'] as number) ?? 1e-5,
    normFirst: (a['norm_first'] as boolean) ?? false,
  });
  const dict = stateDict(ctx.inputs, ['src', 'src_mask', 'src_key_padding_mask']);
  return withModule(m, dict, () =>
    withGrads(
      ctx,
      (inputs) => ({
        y: m.forward(inputs['src']!, {
          srcMask: inputs['src_mask'] ?? null,
          srcKeyPaddingMask: inputs['src_key_padding_mask'] ?? null,
          isCausal: (a['causal'] as boolean) ?? false,
        }),
      }),
      paramsOf(m),
    ),
  );
};

const patchEmbedOp: OpHandler = (ctx) => {
  const { x, weight, bias } = ctx.inputs;
  const [e, c] = weight!.shape as [number, number];
  const m = new PatchEmbed(c, e, ctx.attrs['patch_size'] as number, { bias: bias !== undefined });
  // PatchEmbed's documented keys: the convolution is `proj`
  const dict: StateDict = bias ? { 'proj.weight': weight!, 'proj.bias': bias } : { 'proj.weight': weight! };
  return withModule(m, dict, () => ({ tokens: tf.tidy(() => m.forward(nchwToNhwc(x!))) }));
};

const sinusoidalOp: OpHandler = (ctx) => ({ pe: sinusoidalPositionEncoding(ctx.attrs['length'] as number, ctx.attrs['dim'] as number) });

const seOp: OpHandler = (ctx) => {
  const [s, c] = ctx.inputs['fc1.weight']!.shape as [number, number];
  const m = new SqueezeExcitation(c, s);
  return withModule(m, stateDict(ctx.inputs, ['x']), () => runImage(ctx, m, (x) => m.forward(x)));
};

const cbamOp: OpHandler = (ctx) => {
  const a: Attrs = ctx.attrs;
  const [cr, c] = ctx.inputs['channel.fc1.weight']!.shape as [number, number];
  const m = new CBAM(c, { hiddenChannels: cr, kernelSize: (a['kernel_size'] as number) ?? 7, bias: (a['bias'] as boolean) ?? true });
  return withModule(m, stateDict(ctx.inputs, ['x']), () => runImage(ctx, m, (x) => m.forward(x)));
};

export const attentionOps: Record<string, OpHandler> = {
  'attention.scaled_dot_product': sdpOp,
  'attention.multihead': mhaOp,
  'attention.transformer_encoder_layer': encoderLayerOp,
  'attention.patch_embed': patchEmbedOp,
  'attention.sinusoidal_position_encoding': sinusoidalOp,
  'attention.squeeze_excitation': seOp,
  'attention.cbam': cbamOp,
};
