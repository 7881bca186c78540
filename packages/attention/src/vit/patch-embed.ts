import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape, type Generator } from '@fovea/core';
import { Conv2d } from '@fovea/layers';
import { checkSize, connectedZeros, genOpt } from '../_internal/args.js';

/**
 * Splits images into non-overlapping `P×P` patches and projects each to `E`
 * features: a convolution with kernel and stride `P` (ViT's patch embedding,
 * PyTorch's `F.conv2d(x, w, b, stride=P).flatten(2).transpose(1, 2)`),
 * computed as one matmul over the flattened patches. Rows and columns beyond
 * the last whole patch are dropped, as the convolution does. Patches are
 * numbered in row-major order. Differentiable.
 *
 * @param x `[B, H, W, C]` images (NHWC).
 * @param weight `[P, P, C, E]` (a `Conv2d` weight in Fovea's layout; PyTorch's `[E, C, P, P]` through `conv2dWeightLayout`).
 * @param bias `[E]` or `null`.
 * @param patchSize `P`; default the weight's kernel size.
 * @returns `[B, (H/P)·(W/P), E]` tokens.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { patchEmbed } from '@fovea/attention';
 * const tokens = patchEmbed(tf.zeros([2, 28, 28, 1]), tf.randomNormal([7, 7, 1, 64]), null);
 * tokens.shape; // [2, 16, 64]: a 4×4 grid of 7×7 patches
 * ```
 * @category Vision Transformer
 */
export function patchEmbed(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null = null, patchSize?: number): tf.Tensor3D {
  const op = 'patchEmbed';
  checkTensor(op, 'x', x, { rank: 4, dtype: 'float32' });
  checkTensor(op, 'weight', weight, { rank: 4, dtype: 'float32' });
  const [kh, kw, cin, e] = weight.shape as [number, number, number, number];
  const p = patchSize === undefined ? kh : checkSize(op, 'patchSize', patchSize);
  if (kh !== p || kw !== p || cin !== x.shape[3]) {
    throw new FoveaError({ op, arg: 'weight', expected: `[P, P, C, E] = ${formatShape([p, p, x.shape[3]!, 'E'])} (kernel = stride = patchSize)`, got: `shape ${formatShape(weight.shape)}` });
  }
  if (bias !== null) checkTensor(op, 'bias', bias, { shape: [e], dtype: 'float32' });
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const hp = Math.floor(h / p);
  const wp = Math.floor(w / p);
  const n = hp * wp;
  if (b * n === 0 || e === 0 || c === 0) return connectedZeros([b, n, e], [x, weight, bias]) as tf.Tensor3D;
  return tf.tidy(() => {
    const xc = hp * p === h && wp * p === w ? x : tf.slice(x, [0, 0, 0, 0], [b, hp * p, wp * p, c]); // [B, Hp·P, Wp·P, C]
    const rows = tf.reshape(xc, [b * hp, p, wp, p * c]); // [B·Hp, P, Wp, P·C]
    const patches = tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [b * n, p * p * c]); // [B·N, P·P·C], (kh, kw, c) order
    const y = tf.matMul(patches, tf.reshape(weight, [p * p * c, e])); // [B·N, E]
    return tf.reshape(bias ? tf.add(y, bias) : y, [b, n, e]) as tf.Tensor3D; // [B, N, E]
  });
}

/** Options of the {@link PatchEmbed} module. @category Vision Transformer */
export interface PatchEmbedOptions {
  /** Learn a bias; default `true`. */
  bias?: boolean;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * The patch embedding of a Vision Transformer as a module: a `Conv2d`
 * `proj` (kernel = stride = `P`, timm's `patch_embed.proj` key names) applied
 * through {@link patchEmbed}. See {@link patchEmbed}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PatchEmbed } from '@fovea/attention';
 * const embed = new PatchEmbed(3, 192, 16);
 * embed.forward(tf.zeros([1, 224, 224, 3])).shape; // [1, 196, 192]
 * ```
 * @category Vision Transformer
 */
export class PatchEmbed extends Module<[tf.Tensor], tf.Tensor3D> {
  /** `P`, the patch side (kernel and stride). */
  readonly patchSize: number;
  /** The patch projection: a `Conv2d(C, E, P, stride P)`. */
  readonly proj: Conv2d;

  /**
   * @param inChannels `C`.
   * @param embedDim `E`.
   * @param patchSize `P`.
   * @param opts bias, generator.
   */
  constructor(inChannels: number, embedDim: number, patchSize: number, opts: PatchEmbedOptions = {}) {
    super();
    this.patchSize = checkSize('PatchEmbed', 'patchSize', patchSize);
    this.proj = this.registerModule('proj', new Conv2d(inChannels, embedDim, patchSize, { stride: patchSize, bias: opts.bias ?? true, ...genOpt(opts.generator) }));
  }

  /** `x [B, H, W, C]` → `[B, (H/P)·(W/P), E]`. */
  forward(x: tf.Tensor): tf.Tensor3D {
    return patchEmbed(x, this.proj.weight, this.proj.bias, this.patchSize);
  }
}
