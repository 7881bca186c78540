import * as tf from '@tensorflow/tfjs-core';
import { Module, ModuleList, checkNumber, crossEntropy, relu, type Generator } from '@fovea/core';
import { Conv2d, ConvTranspose2d } from '@fovea/layers';
import { ConvBackbone, type ConvBackboneOptions } from '../models/backbone.js';
import { checkImages, checkNumClasses } from '../models/_internal/checks.js';

/** Options for {@link FCN}. @category Segmentation */
export interface FCNOptions {
  /** Number of classes `K` of the per-pixel labels `0..K-1` (background or "unlabeled" is one of them if the data has it). */
  numClasses: number;
  /** The encoder (see {@link ConvBackboneOptions}); default widths `[16, 32, 64, 128]`, plain blocks, stem stride 2. */
  backbone?: Omit<ConvBackboneOptions, 'generator'>;
  /** Channels of the decoder's upsampled features; default 32. */
  decoderChannels?: number;
  /** Target label that contributes no loss (e.g. 255); default none. */
  ignoreIndex?: number;
  /** Random source for the initial weights; default core's default generator. */
  generator?: Generator;
}

/** The `k × k` bilinear-interpolation kernel of a stride-`k/2` transposed convolution (FCN's initialisation). */
function bilinearKernel(k: number): Float32Array {
  const f = Math.ceil(k / 2);
  const c = (2 * f - 1 - (f % 2)) / (2 * f);
  const out = new Float32Array(k * k);
  for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) out[y * k + x] = (1 - Math.abs(x / f - c)) * (1 - Math.abs(y / f - c));
  return out;
}

/**
 * Upsamples with a transposed convolution to exactly `size`: its own output
 * size `s·n` (plus an output padding when `size` is larger), cropped at the
 * bottom/right when `size` is smaller (a map of odd size came from `ceil`).
 */
function upsampleTo(up: ConvTranspose2d, x: tf.Tensor, size: [number, number]): tf.Tensor4D {
  const s = up.options.stride as number;
  const [h, w] = [x.shape[1]! * s, x.shape[2]! * s];
  if (size[0] >= h && size[1] >= w) return up.forward(x, size);
  return tf.slice(up.forward(x), [0, 0, 0, 0], [-1, size[0], size[1], -1]);
}

/** Sets a `ConvTranspose2d`'s weight to per-channel bilinear interpolation (FCN's initialisation) and its bias to 0. */
function initBilinear(up: ConvTranspose2d): void {
  const [kh] = up.kernelSize;
  const c = up.outChannels;
  tf.tidy(() => {
    const k = tf.reshape(tf.tensor1d(bilinearKernel(kh)), [kh, kh, 1, 1]);
    up.weight.assign(tf.mul(k, tf.reshape(tf.eye(c), [1, 1, c, c])) as tf.Tensor4D); // [kH, kW, C, C]: channel c → c
    if (up.bias) up.bias.assign(tf.zerosLike(up.bias));
  });
}

/**
 * A fully convolutional network for semantic segmentation (Long, Shelhamer
 * and Darrell, CVPR 2015): a downsampling {@link ConvBackbone} encoder
 * (stride 16 at its coarsest with the defaults), learnable 2× upsampling of
 * `decoderChannels` features with @fovea/layers' `ConvTranspose2d` (4×4,
 * stride 2, initialised to bilinear interpolation as in the paper), adding a
 * 1×1 projection of the encoder map of the same resolution at each step
 * (FCN-8s' skip connections), a 1×1 classifier, and — when the stem has
 * stride 2 — a last learnable 2× upsampling of the class scores to the input
 * resolution. Trained with per-pixel cross-entropy ({@link FCN.loss}).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FCN } from '@fovea/detection';
 * const fcn = new FCN({ numClasses: 6 });
 * const logits = fcn.forward(tf.zeros([2, 64, 64, 3])); // [2, 64, 64, 6]
 * const loss = fcn.loss(logits, tf.zeros([2, 64, 64], 'int32')); // scalar, ≈ log 6 at init
 * const labels = fcn.segment(tf.zeros([2, 64, 64, 3])); // [2, 64, 64] int32
 * ```
 * @category Segmentation
 */
export class FCN extends Module<[tf.Tensor], tf.Tensor4D> {
  /** Number of classes `K`. */
  readonly numClasses: number;
  /** The encoder. */
  readonly backbone: ConvBackbone;
  private readonly lateral: ModuleList<Conv2d>;
  private readonly up: ModuleList<ConvTranspose2d>;
  private readonly classifier: Conv2d;
  private readonly upScores: ConvTranspose2d | null;
  private readonly ignoreIndex: number | undefined;

  /** @param opts classes, encoder, decoder width, ignore index, generator. */
  constructor(opts: FCNOptions) {
    super();
    const op = 'FCN';
    this.numClasses = checkNumClasses(op, opts?.numClasses);
    const d = checkNumber(op, 'options.decoderChannels', opts.decoderChannels ?? 32, { integer: true, min: 1 });
    this.ignoreIndex = opts.ignoreIndex === undefined ? undefined : checkNumber(op, 'options.ignoreIndex', opts.ignoreIndex, { integer: true });
    const gen = opts.generator ? { generator: opts.generator } : {};
    this.backbone = this.registerModule('backbone', new ConvBackbone({ stemStride: 2, ...opts.backbone, ...gen }));
    const ch = this.backbone.channels;
    // one lateral 1×1 projection per encoder map (coarsest first), one upsampling between consecutive maps
    this.lateral = this.registerModule('lateral', new ModuleList([...ch].reverse().map((c) => new Conv2d(c, d, 1, gen))));
    this.up = this.registerModule('up', new ModuleList(ch.slice(1).map(() => new ConvTranspose2d(d, d, 4, { stride: 2, padding: 1, ...gen }))));
    for (const u of this.up) initBilinear(u);
    this.classifier = this.registerModule('classifier', new Conv2d(d, this.numClasses, 1, gen));
    const s0 = this.backbone.strides[0]!;
    this.upScores = this.registerModule('up_scores', s0 === 1 ? null : new ConvTranspose2d(this.numClasses, this.numClasses, 2 * s0, { stride: s0, padding: s0 / 2, ...gen }));
    if (this.upScores) initBilinear(this.upScores);
  }

  /** `images [N, H, W, Cin]` → per-pixel class logits `[N, H, W, K]`. */
  forward(images: tf.Tensor): tf.Tensor4D {
    checkImages('FCN.forward', images, this.backbone.inChannels);
    return tf.tidy(() => {
      const feats = this.backbone.forward(images).reverse(); // coarsest first
      const lateral = [...this.lateral];
      const up = [...this.up];
      let h = lateral[0]!.forward(feats[0]!); // [N, H/16, W/16, D]
      for (let i = 1; i < feats.length; i++) {
        const skip = lateral[i]!.forward(feats[i]!); // [N, H/s_i, W/s_i, D]
        h = tf.add(upsampleTo(up[i - 1]!, relu(h), [skip.shape[1]!, skip.shape[2]!]), skip) as tf.Tensor4D;
      }
      const scores = this.classifier.forward(relu(h)); // [N, H/s0, W/s0, K]
      return this.upScores ? upsampleTo(this.upScores, scores, [images.shape[1]!, images.shape[2]!]) : scores; // [N, H, W, K]
    });
  }
  /**
   * Per-pixel cross-entropy (core's `crossEntropy`, mean over the pixels not
   * equal to `ignoreIndex`).
   * @param logits `[N, H, W, K]` from {@link FCN.forward}.
   * @param labels `[N, H, W]` int32 labels in `0..K-1` (or `ignoreIndex`).
   * @returns the scalar loss.
   */
  loss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
    return crossEntropy(logits, labels, this.ignoreIndex === undefined ? {} : { ignoreIndex: this.ignoreIndex }) as tf.Scalar;
  }

  /** `images [N, H, W, C]` → `[N, H, W]` int32 arg-max labels, in evaluation mode (the model's mode is switched for the call and restored). */
  segment(images: tf.Tensor): tf.Tensor3D {
    const wasTraining = this.training;
    this.eval();
    try {
      return tf.tidy(() => tf.cast(tf.argMax(this.forward(images), 3), 'int32') as tf.Tensor3D);
    } finally {
      this.train(wasTraining);
    }
  }
}
