import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, GELU, Module, Sequential, Tanh, checkNumber, checkOneOf, checkTensor, conv2dWeightLayout, formatShape, linearWeightLayout, randn, xavierUniform, type Generator, type Parameter } from '@fovea/core';
import { Conv2d, Dropout, LayerNorm, Linear } from '@fovea/layers';
import { checkDivisible, checkPairSize, checkRate, checkSize, genOpt } from '../_internal/args.js';
import { setValue, truncNormal } from '../_internal/init.js';
import { tidyObject } from '../_internal/tidy.js';
import { MultiheadAttention } from '../attention/multihead-attention.js';
import { sinusoidalPositionEncoding } from '../positional/sinusoidal-position-encoding.js';
import { patchEmbed } from './patch-embed.js';

/** Options of {@link VisionTransformer} (torchvision's `VisionTransformer` arguments). @category Vision Transformer */
export interface VisionTransformerOptions {
  /** Input size, `int or [H, W]` (multiples of `patchSize`). */
  imageSize: number | readonly [number, number];
  /** Patch size `P`. */
  patchSize: number;
  /** Encoder blocks. */
  numLayers: number;
  /** Attention heads `nh`. */
  numHeads: number;
  /** Token width `E` (`hidden_dim`), divisible by `numHeads`. */
  hiddenDim: number;
  /** Hidden width of each block's MLP (`mlp_dim`). */
  mlpDim: number;
  /** Input channels `C`; default 3. */
  inChannels?: number;
  /** Classes `K`; default 1000. */
  numClasses?: number;
  /** Dropout after the position embedding, attention and in the MLPs; default 0. */
  dropout?: number;
  /** Dropout on the attention weights; default 0. */
  attentionDropout?: number;
  /** A `pre_logits` layer (Linear + tanh) of this width before the head; default none. */
  representationSize?: number | null;
  /** LayerNorm epsilon; default 1e-6 (torchvision). */
  layerNormEps?: number;
  /**
   * Initial position embedding: `'normal'` (torchvision: N(0, 0.02²)) or
   * `'sincos2d'` (2-D sine-cosine of the patch row and column, zero for the
   * class token, as in MAE and Beyer et al.'s plain-ViT baselines — it helps
   * on small data). It stays a learned parameter either way; default `'normal'`.
   */
  positionEmbeddingInit?: 'normal' | 'sincos2d';
  /** Random source for the initial weights and dropout (default: core's default generator). */
  generator?: Generator;
}

/** A ViT forward pass with the attention weights of every block. @category Vision Transformer */
export interface VisionTransformerOutput {
  /** `[B, K]` class logits. */
  logits: tf.Tensor2D;
  /** One `[B, nh, S, S]` tensor per block (`S = 1 + number of patches`, the class token first). */
  attention: tf.Tensor4D[];
}

/** What a {@link ViTEncoderBlock} returns. @category Vision Transformer */
export interface ViTBlockOutput {
  /** `[B, S, E]` the block's output. */
  output: tf.Tensor;
  /** `[B, nh, S, S]` its attention weights when asked for, else null. */
  attention: tf.Tensor | null;
}

/** What a {@link ViTEncoder} returns. @category Vision Transformer */
export interface ViTEncoderOutput {
  /** `[B, S, E]` the normalised output tokens. */
  output: tf.Tensor;
  /** One `[B, nh, S, S]` tensor per block when asked for, else empty. */
  attention: tf.Tensor[];
}

/** MLP of a ViT block: `Linear(E, mlpDim)`, GELU, dropout, `Linear(mlpDim, E)`, dropout (torchvision's `mlp.0`…`mlp.4`). */
function mlpBlock(e: number, mlpDim: number, dropout: number, gen: { generator?: Generator }): Sequential {
  const fc1 = new Linear(e, mlpDim, gen);
  const fc2 = new Linear(mlpDim, e, gen);
  for (const fc of [fc1, fc2]) {
    xavierUniform(fc.weight, gen); // torchvision's MLPBlock init
    setValue(fc.bias!, () => randn(fc.bias!.shape, { std: 1e-6, ...gen }));
  }
  return new Sequential(fc1, new GELU(), new Dropout(dropout, gen), fc2, new Dropout(dropout, gen));
}

/**
 * One pre-norm ViT encoder block, torchvision's `EncoderBlock` with its key
 * names (`ln_1`, `self_attention.*`, `ln_2`, `mlp.0`, `mlp.3`):
 * `x = x + dropout(SA(ln_1(x)))`, `y = x + mlp(ln_2(x))`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ViTEncoderBlock } from '@fovea/attention';
 * const block = new ViTEncoderBlock(64, 4, 128);
 * block.forward(tf.zeros([2, 17, 64])).output.shape; // [2, 17, 64]
 * ```
 * @category Vision Transformer
 */
export class ViTEncoderBlock extends Module<[tf.Tensor, boolean?], ViTBlockOutput> {
  /** LayerNorm before attention (`ln_1`). */
  readonly ln1: LayerNorm;
  /** Multi-head self-attention (`self_attention`). */
  readonly selfAttention: MultiheadAttention;
  /** Dropout after the position embedding (encoder) or after attention (block). */
  readonly dropout: Dropout;
  /** LayerNorm before the MLP (`ln_2`). */
  readonly ln2: LayerNorm;
  /** The MLP: `Linear(E, mlpDim)`, GELU, dropout, `Linear(mlpDim, E)`, dropout. */
  readonly mlp: Sequential;

  /**
   * @param hiddenDim `E`.
   * @param numHeads `nh`.
   * @param mlpDim the MLP's hidden width.
   * @param opts dropout, attentionDropout, layerNormEps (1e-6), generator.
   */
  constructor(hiddenDim: number, numHeads: number, mlpDim: number, opts: Pick<VisionTransformerOptions, 'dropout' | 'attentionDropout' | 'layerNormEps' | 'generator'> = {}) {
    super();
    const op = 'ViTEncoderBlock';
    const gen = genOpt(opts.generator);
    const eps = checkNumber(op, 'options.layerNormEps', opts.layerNormEps ?? 1e-6, { gt: 0 });
    const p = checkRate(op, 'options.dropout', opts.dropout ?? 0);
    checkSize(op, 'hiddenDim', hiddenDim);
    checkSize(op, 'mlpDim', mlpDim);
    checkDivisible(op, 'hiddenDim', hiddenDim, checkSize(op, 'numHeads', numHeads), 'numHeads');
    checkRate(op, 'options.attentionDropout', opts.attentionDropout ?? 0);
    this.ln1 = this.registerModule('ln_1', new LayerNorm(hiddenDim, { eps }));
    this.selfAttention = this.registerModule('self_attention', new MultiheadAttention(hiddenDim, numHeads, { dropout: opts.attentionDropout ?? 0, ...gen }));
    this.dropout = this.registerModule('dropout', new Dropout(p, gen));
    this.ln2 = this.registerModule('ln_2', new LayerNorm(hiddenDim, { eps }));
    this.mlp = this.registerModule('mlp', mlpBlock(hiddenDim, checkSize(op, 'mlpDim', mlpDim), p, gen));
  }

  /** `x [B, S, E]` → `output [B, S, E]`, and `attention [B, nh, S, S]` when `needWeights`. */
  forward(x: tf.Tensor, needWeights = false): ViTBlockOutput {
    return tidyObject(() => {
      const h = this.ln1.forward(x);
      const a = this.selfAttention.forward(h, h, h, { needWeights, averageAttnWeights: false });
      const x1 = tf.add(x, this.dropout.forward(a.output)); // [B, S, E]
      return { output: tf.add(x1, this.mlp.forward(this.ln2.forward(x1))), attention: a.weights }; // [B, S, E], [B, nh, S, S]
    });
  }
}

/**
 * The encoder of a ViT, torchvision's `Encoder`: adds `pos_embedding`
 * `[1, S, E]`, dropout, the blocks (`layers.encoder_layer_0`, …) and a final
 * LayerNorm `ln`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ViTEncoder } from '@fovea/attention';
 * const enc = new ViTEncoder(17, 2, 4, 64, 128);
 * enc.forward(tf.zeros([2, 17, 64])).output.shape; // [2, 17, 64]
 * ```
 * @category Vision Transformer
 */
export class ViTEncoder extends Module<[tf.Tensor, boolean?], ViTEncoderOutput> {
  /** `[1, S, E]` the learned position embedding (`pos_embedding`). */
  readonly posEmbedding: Parameter;
  /** Dropout after the position embedding (encoder) or after attention (block). */
  readonly dropout: Dropout;
  /** The blocks (`encoder_layer_0`, …). */
  readonly layers: Sequential;
  /** The final LayerNorm. */
  readonly ln: LayerNorm;

  /**
   * @param seqLength `S`, tokens per image (patches + class token).
   * @param numLayers blocks.
   * @param numHeads `nh`.
   * @param hiddenDim `E`.
   * @param mlpDim MLP width.
   * @param opts dropout, attentionDropout, layerNormEps, generator.
   */
  constructor(seqLength: number, numLayers: number, numHeads: number, hiddenDim: number, mlpDim: number, opts: Pick<VisionTransformerOptions, 'dropout' | 'attentionDropout' | 'layerNormEps' | 'generator'> = {}) {
    super();
    const op = 'ViTEncoder';
    const gen = genOpt(opts.generator);
    checkSize(op, 'numLayers', numLayers, 0);
    checkDivisible(op, 'hiddenDim', checkSize(op, 'hiddenDim', hiddenDim), checkSize(op, 'numHeads', numHeads), 'numHeads');
    checkSize(op, 'mlpDim', mlpDim);
    this.posEmbedding = this.registerParameter('pos_embedding', randn([1, checkSize(op, 'seqLength', seqLength), checkSize(op, 'hiddenDim', hiddenDim)], { std: 0.02, ...gen }));
    this.dropout = this.registerModule('dropout', new Dropout(opts.dropout ?? 0, gen));
    const blocks: Record<string, Module> = {};
    for (let i = 0; i < checkSize(op, 'numLayers', numLayers, 0); i++) blocks[`encoder_layer_${i}`] = new ViTEncoderBlock(hiddenDim, numHeads, mlpDim, opts);
    this.layers = this.registerModule('layers', new Sequential(blocks));
    this.ln = this.registerModule('ln', new LayerNorm(hiddenDim, { eps: opts.layerNormEps ?? 1e-6 }));
  }

  /** `x [B, S, E]` → `output [B, S, E]` and each block's `[B, nh, S, S]` attention when `needWeights`. */
  forward(x: tf.Tensor, needWeights = false): ViTEncoderOutput {
    const [, s, e] = this.posEmbedding.shape as [number, number, number];
    checkTensor('ViTEncoder.forward', 'x', x, { shape: [null, s, e], dtype: 'float32' });
    return tidyObject(() => {
      const attention: tf.Tensor[] = [];
      let h = this.dropout.forward(tf.add(x, this.posEmbedding)); // [B, S, E]
      for (const [, block] of this.layers.namedChildren()) {
        const r = (block as ViTEncoderBlock).forward(h, needWeights);
        if (r.attention) attention.push(r.attention);
        h = r.output;
      }
      return { output: this.ln.forward(h), attention };
    });
  }
}

/**
 * The Vision Transformer of Dosovitskiy et al. (2021), torchvision's
 * `VisionTransformer` with its parameter names (`conv_proj.*`,
 * `class_token`, `encoder.pos_embedding`, `encoder.layers.encoder_layer_0.*`,
 * `encoder.ln.*`, `heads.head.*`) and initialisation, channels-last input:
 * the image is cut into `P×P` patches embedded by a strided convolution
 * ({@link patchEmbed}), a learned class token is prepended, a learned
 * position embedding added, the pre-norm encoder runs, and the head
 * classifies the class token's final state.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { VisionTransformer } from '@fovea/attention';
 * // a ViT for 28×28 digits: 7×7 patches → 16 tokens + class token, width 64
 * const vit = new VisionTransformer({ imageSize: 28, patchSize: 7, inChannels: 1, numLayers: 4, numHeads: 4, hiddenDim: 64, mlpDim: 128, numClasses: 10 });
 * vit.forward(tf.zeros([8, 28, 28, 1])).shape; // [8, 10]
 * const { logits, attention } = vit.forwardWithAttention(tf.zeros([1, 28, 28, 1]));
 * attention.length;   // 4 blocks
 * attention[0].shape; // [1, 4, 17, 17]
 * ```
 * @category Vision Transformer
 */
export class VisionTransformer extends Module<[tf.Tensor], tf.Tensor2D> {
  /** `[H, W]` the input size. */
  readonly imageSize: [number, number];
  /** `P`, the patch side. */
  readonly patchSize: number;
  /** `E`, the token width. */
  readonly hiddenDim: number;
  /** `K`, the number of classes. */
  readonly numClasses: number;
  /** `C`, the input channels. */
  readonly inChannels: number;
  /** `S`, tokens per image: the patches plus the class token. */
  readonly seqLength: number;
  /** The patch embedding convolution (`conv_proj`). */
  readonly convProj: Conv2d;
  /** `[1, 1, E]` the learned class token (`class_token`). */
  readonly classToken: Parameter;
  /** The encoder (`encoder`). */
  readonly encoder: ViTEncoder;
  /** The classification head (`heads.head`, after `pre_logits` + tanh with a representation size). */
  readonly heads: Sequential;

  /** @param opts sizes, depth, widths, classes, dropout, generator. */
  constructor(opts: VisionTransformerOptions) {
    super();
    const op = 'VisionTransformer';
    if (typeof opts !== 'object' || opts === null) throw new FoveaError({ op, arg: 'options', expected: 'an options object', got: String(opts) });
    const gen = genOpt(opts.generator);
    this.imageSize = checkPairSize(op, 'options.imageSize', opts.imageSize);
    const p = (this.patchSize = checkSize(op, 'options.patchSize', opts.patchSize));
    if (this.imageSize[0] % p !== 0 || this.imageSize[1] % p !== 0) {
      throw new FoveaError({ op, arg: 'options.imageSize', expected: `multiples of patchSize ${p}`, got: formatShape(this.imageSize) });
    }
    const e = (this.hiddenDim = checkSize(op, 'options.hiddenDim', opts.hiddenDim));
    this.numClasses = checkSize(op, 'options.numClasses', opts.numClasses ?? 1000);
    this.inChannels = checkSize(op, 'options.inChannels', opts.inChannels ?? 3);
    this.seqLength = (this.imageSize[0] / p) * (this.imageSize[1] / p) + 1;
    const init = checkOneOf(op, 'options.positionEmbeddingInit', opts.positionEmbeddingInit ?? 'normal', ['normal', 'sincos2d'] as const);
    if (init === 'sincos2d' && e % 4 !== 0) throw new FoveaError({ op, arg: 'options.hiddenDim', expected: "a multiple of 4 for positionEmbeddingInit 'sincos2d'", got: String(e) });
    this.convProj = this.registerModule('conv_proj', new Conv2d(this.inChannels, e, p, { stride: p, ...gen }));
    const fanIn = this.inChannels * p * p;
    setValue(this.convProj.weight, () => conv2dWeightLayout.fromTorch(truncNormal([e, this.inChannels, p, p], Math.sqrt(1 / fanIn), opts.generator)));
    setValue(this.convProj.bias!, () => tf.zeros([e]));
    this.classToken = this.registerParameter('class_token', tf.zeros([1, 1, e]));
    this.encoder = this.registerModule('encoder', new ViTEncoder(this.seqLength, opts.numLayers, opts.numHeads, e, opts.mlpDim, opts));
    if (init === 'sincos2d') setValue(this.encoder.posEmbedding, () => sincos2d(this.imageSize[0] / p, this.imageSize[1] / p, e));
    this.heads = this.registerModule('heads', vitHeads(e, this.numClasses, opts.representationSize ?? null, opts.generator));
  }

  /** `x [B, H, W, C]` → `[B, S, E]` tokens with the class token first. */
  private tokens(x: tf.Tensor): tf.Tensor {
    const [h, w] = this.imageSize;
    checkTensor('VisionTransformer.forward', 'x', x, { shape: [null, h, w, this.inChannels], dtype: 'float32' });
    const b = x.shape[0]!;
    const patches = patchEmbed(x, this.convProj.weight, this.convProj.bias, this.patchSize); // [B, N, E]
    return tf.concat([tf.tile(this.classToken, [b, 1, 1]), patches], 1); // [B, 1 + N, E]
  }

  /** `x [B, H, W, C]` → `[B, K]` logits. */
  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const { output } = this.encoder.forward(this.tokens(x)); // [B, S, E]
      const cls = tf.reshape(tf.slice(output, [0, 0, 0], [-1, 1, -1]), [-1, this.hiddenDim]); // [B, E]
      return this.heads.forward(cls) as tf.Tensor2D; // [B, K]
    });
  }

  /** `x [B, H, W, C]` → logits `[B, K]` and every block's attention weights `[B, nh, S, S]` (the caller disposes all). */
  forwardWithAttention(x: tf.Tensor): VisionTransformerOutput {
    return tidyObject(() => {
      const r = this.encoder.forward(this.tokens(x), true);
      const cls = tf.reshape(tf.slice(r.output, [0, 0, 0], [-1, 1, -1]), [-1, this.hiddenDim]); // [B, E]
      return { logits: this.heads.forward(cls) as tf.Tensor2D, attention: r.attention as tf.Tensor4D[] };
    });
  }
}

/** `[1, 1 + gh·gw, E]`: zeros for the class token, then per patch the row's encoding (first E/2 features) and the column's (last E/2). */
function sincos2d(gh: number, gw: number, e: number): tf.Tensor {
  return tf.tidy(() => {
    const rows = tf.tile(tf.reshape(sinusoidalPositionEncoding(gh, e / 2), [gh, 1, e / 2]), [1, gw, 1]); // [gh, gw, E/2]
    const cols = tf.tile(tf.reshape(sinusoidalPositionEncoding(gw, e / 2), [1, gw, e / 2]), [gh, 1, 1]); // [gh, gw, E/2]
    const grid = tf.reshape(tf.concat([rows, cols], 2), [gh * gw, e]); // [N, E], patches row-major
    return tf.expandDims(tf.concat([tf.zeros([1, e]), grid], 0), 0); // [1, 1 + N, E]
  });
}

/** `heads`: `head` Linear (zero-initialised), after `pre_logits` Linear + `act` tanh when a representation size is given. */
function vitHeads(e: number, k: number, rep: number | null, generator: Generator | undefined): Sequential {
  const gen = genOpt(generator);
  const zeroHead = (inF: number): Linear => {
    const head = new Linear(inF, k, gen);
    setValue(head.weight, () => tf.zeros(head.weight.shape));
    setValue(head.bias!, () => tf.zeros([k]));
    return head;
  };
  if (rep === null) return new Sequential({ head: zeroHead(e) });
  const r = checkSize('VisionTransformer', 'options.representationSize', rep);
  const pre = new Linear(e, r, gen);
  setValue(pre.weight, () => linearWeightLayout.fromTorch(truncNormal([r, e], Math.sqrt(1 / e), generator)));
  setValue(pre.bias!, () => tf.zeros([r]));
  return new Sequential({ pre_logits: pre, act: new Tanh(), head: zeroHead(r) });
}
