/** Conformance handlers for `generative.*` ops: each maps a case to @fovea/generative's public API. */
import { Module, nchwToNhwc, nhwcToNchw, type Parameter } from '@fovea/core';
import {
  MaskedConv2d,
  bitsPerDim,
  ganLoss,
  reparameterize,
  vaeLoss,
  vectorQuantize,
  type GeneratorLoss,
  type MaskType,
  type VaeLikelihood,
} from '@fovea/generative';
import { withGrads } from '../grad.js';
import type { OpHandler } from '../types.js';

type Attrs = Record<string, unknown>;
const num = (a: Attrs, k: string, d: number): number => (a[k] === undefined || a[k] === null ? d : (a[k] as number));
const str = <T extends string>(a: Attrs, k: string, d: T): T => (a[k] === undefined || a[k] === null ? d : (a[k] as T));

/** The module's parameters by state-dict name, for `withGrads`. */
function paramsOf(m: Module): Record<string, Parameter> {
  return Object.fromEntries(m.namedParameters());
}

const reparameterizeOp: OpHandler = (ctx) =>
  withGrads(ctx, (inp) => ({ z: reparameterize(inp['mu']!, inp['logvar']!, { eps: inp['eps']! }) }));

const vaeLossOp: OpHandler = (ctx) =>
  withGrads(ctx, (inp) => {
    const r = vaeLoss(inp['x']!, inp['recon_logits']!, inp['mu']!, inp['logvar']!, {
      likelihood: str<VaeLikelihood>(ctx.attrs, 'likelihood', 'bernoulli'),
      beta: num(ctx.attrs, 'beta', 1),
    });
    return { recon: r.recon, kl: r.kl, loss: r.loss };
  });

const ganLossOp: OpHandler = (ctx) =>
  withGrads(ctx, (inp) => {
    const r = ganLoss(inp['d_real']!, inp['d_fake']!, { generatorLoss: str<GeneratorLoss>(ctx.attrs, 'generator_loss', 'non_saturating') });
    return { d_loss: r.dLoss, g_loss: r.gLoss };
  });

/** A `MaskedConv2d` loaded from the case's PyTorch `weight` / `bias` with `loadStateDict`, run on NHWC. */
const maskedConv2dOp: OpHandler = (ctx) => {
  const { weight } = ctx.inputs;
  const [cout, cin, kh, kw] = weight!.shape as [number, number, number, number];
  const hasBias = 'bias' in ctx.inputs;
  const m = new MaskedConv2d(cin, cout, [kh, kw], {
    maskType: str<MaskType>(ctx.attrs, 'mask_type', 'B'),
    padding: num(ctx.attrs, 'padding', kh >> 1),
    bias: hasBias,
  });
  try {
    m.loadStateDict(hasBias ? { weight: weight!, bias: ctx.inputs['bias']! } : { weight: weight! });
    return withGrads(ctx, (inp) => ({ y: nhwcToNchw(m.forward(nchwToNhwc(inp['x']!))) }), paramsOf(m));
  } finally {
    m.dispose();
  }
};

const vectorQuantizeOp: OpHandler = (ctx) =>
  withGrads(ctx, (inp) => {
    const r = vectorQuantize(inp['z']!, inp['codebook']!, { beta: num(ctx.attrs, 'beta', 0.25) });
    return { z_q: r.zq, indices: r.indices, codebook_loss: r.codebookLoss, commitment_loss: r.commitmentLoss };
  });

/** `logits` come as PyTorch's `[N, K, D]` and go to the library's class-last `[N, D, K]` through `nchwToNhwc`. */
const bitsPerDimOp: OpHandler = (ctx) =>
  withGrads(ctx, (inp) => {
    const r = bitsPerDim(nchwToNhwc(inp['logits']!), inp['targets']!);
    return { nll: r.nll, bits_per_dim: r.bitsPerDim };
  });

export const generativeOps: Record<string, OpHandler> = {
  'generative.reparameterize': reparameterizeOp,
  'generative.vae_loss': vaeLossOp,
  'generative.gan_loss': ganLossOp,
  'generative.masked_conv2d': maskedConv2dOp,
  'generative.vector_quantize': vectorQuantizeOp,
  'generative.bits_per_dim': bitsPerDimOp,
};
