import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape, relu, sigmoid, type Generator } from '@fovea/core';
import { Conv2d, conv2d } from '@fovea/layers';
import { checkBool, checkSize, connectedZeros, genOpt } from '../_internal/args.js';
import { check1x1 } from './squeeze-excitation.js';

/** The weights of {@link cbam} in Fovea's `Conv2d` layout (`[kH, kW, Cin, Cout]`). @category Attention in CNNs */
export interface CBAMWeights {
  /** `[1, 1, C, C/r]` shared MLP, first layer (PyTorch's `channel.fc1.weight` `[C/r, C, 1, 1]`). */
  fc1Weight: tf.Tensor;
  /** `[C/r]` or none. */
  fc1Bias?: tf.Tensor | null;
  /** `[1, 1, C/r, C]` shared MLP, second layer. */
  fc2Weight: tf.Tensor;
  /** `[C]` or none. */
  fc2Bias?: tf.Tensor | null;
  /** `[k, k, 2, 1]` spatial convolution over the (mean, max) maps (PyTorch's `spatial.conv.weight` `[1, 2, k, k]`). */
  spatialWeight: tf.Tensor;
  /** `[1]` or none. */
  spatialBias?: tf.Tensor | null;
}

/** `MLP(d) = fc2(relu(fc1(d)))` on `[N, C]` descriptors. */
function sharedMlp(d: tf.Tensor, w: CBAMWeights): tf.Tensor {
  const lin = (x: tf.Tensor, k: tf.Tensor, b: tf.Tensor | null | undefined) => {
    const y = tf.matMul(x, tf.reshape(k, [k.shape[2]!, k.shape[3]!]));
    return b ? tf.add(y, b) : y;
  };
  return lin(relu(lin(d, w.fc1Weight, w.fc1Bias)), w.fc2Weight, w.fc2Bias);
}

/** `Mc = σ(MLP(avg_hw(x)) + MLP(max_hw(x)))`: `[B, C]`, both descriptors through one matmul. */
function channelMap(x: tf.Tensor, w: CBAMWeights): tf.Tensor {
  const b = x.shape[0]!;
  const desc = tf.concat([tf.mean(x, [1, 2]), tf.max(x, [1, 2])], 0); // [2B, C]: avg rows then max rows
  const m = sharedMlp(desc, w); // [2B, C]
  return sigmoid(tf.add(tf.slice(m, [0, 0], [b, -1]), tf.slice(m, [b, 0], [b, -1]))); // [B, C]
}

/** `Ms = σ(conv([mean_c(x1), max_c(x1)]))`: `[B, H, W, 1]`. */
function spatialMap(x1: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null | undefined): tf.Tensor {
  const k = weight.shape[0]!;
  const pooled = tf.concat([tf.mean(x1, 3, true), tf.max(x1, 3, true)], 3); // [B, H, W, 2]: avg then max
  return sigmoid(conv2d(pooled, weight, bias ?? null, { padding: Math.floor(k / 2) })); // [B, H, W, 1]
}

function checkSpatial(op: string, w: tf.Tensor, b: tf.Tensor | null | undefined): void {
  checkTensor(op, 'weights.spatialWeight', w, { rank: 4, dtype: 'float32' });
  const [kh, kw, cin, cout] = w.shape as [number, number, number, number];
  if (kh !== kw || kh % 2 !== 1 || cin !== 2 || cout !== 1) {
    throw new FoveaError({ op, arg: 'weights.spatialWeight', expected: '[k, k, 2, 1] with odd k (mean and max maps in, one map out)', got: `shape ${formatShape(w.shape)}` });
  }
  if (b) checkTensor(op, 'weights.spatialBias', b, { shape: [1], dtype: 'float32' });
}

/**
 * The Convolutional Block Attention Module (Woo et al. 2018): channel
 * attention, then spatial attention.
 * `Mc = σ(MLP(avg_hw(x)) + MLP(max_hw(x)))` with one MLP (1×1 convs,
 * `C → C/r → C`, ReLU) shared by both descriptors, `x1 = x · Mc`;
 * `Ms = σ(conv_k([mean_c(x1), max_c(x1)]))` with zero padding `k // 2`,
 * `y = x1 · Ms`. Differentiable.
 *
 * @param x `[B, H, W, C]`.
 * @param weights the shared MLP and the spatial convolution, see {@link CBAMWeights}.
 * @returns `[B, H, W, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cbam } from '@fovea/attention';
 * const y = cbam(tf.ones([1, 6, 6, 8]), {
 *   fc1Weight: tf.zeros([1, 1, 8, 2]), fc2Weight: tf.zeros([1, 1, 2, 8]), spatialWeight: tf.zeros([7, 7, 2, 1]),
 * });
 * y.shape; // [1, 6, 6, 8], every value 0.5 · 0.5 = 0.25
 * ```
 * @category Attention in CNNs
 */
export function cbam(x: tf.Tensor, weights: CBAMWeights): tf.Tensor4D {
  const op = 'cbam';
  checkTensor(op, 'x', x, { rank: 4, dtype: 'float32' });
  const c = x.shape[3]!;
  const r = check1x1(op, 'fc1', weights.fc1Weight, weights.fc1Bias, c);
  if (check1x1(op, 'fc2', weights.fc2Weight, weights.fc2Bias, r) !== c) {
    throw new FoveaError({ op, arg: 'weights.fc2Weight', expected: `[1, 1, ${r}, ${c}] (back to C channels)`, got: `shape ${formatShape(weights.fc2Weight.shape)}` });
  }
  checkSpatial(op, weights.spatialWeight, weights.spatialBias);
  if (x.size === 0) return connectedZeros(x.shape, [x, weights.fc1Weight, weights.fc2Weight, weights.spatialWeight]) as tf.Tensor4D;
  return tf.tidy(() => {
    const [b] = x.shape;
    const x1 = tf.mul(x, tf.reshape(channelMap(x, weights), [b!, 1, 1, c])); // [B, H, W, C]
    return tf.mul(x1, spatialMap(x1, weights.spatialWeight, weights.spatialBias)) as tf.Tensor4D; // [B, H, W, C]
  });
}

/** Options of the {@link CBAM} module. @category Attention in CNNs */
export interface CBAMOptions {
  /** Channel reduction `r` of the shared MLP (`max(1, ⌊C/r⌋)` hidden channels); default 16. */
  reduction?: number;
  /** The shared MLP's hidden width directly (overrides `reduction`). */
  hiddenChannels?: number;
  /** Spatial kernel size `k` (odd); default 7. */
  kernelSize?: number;
  /** Learn biases in the MLP and the spatial convolution; default `true`. */
  bias?: boolean;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/** CBAM's channel half: the shared MLP as 1×1 convolutions `fc1`, `fc2`. */
class ChannelGate extends Module<[], never> {
  /** First layer of the shared MLP: a 1×1 `Conv2d(C, C/r)`. */
  readonly fc1: Conv2d;
  /** Second layer of the shared MLP: a 1×1 `Conv2d(C/r, C)`. */
  readonly fc2: Conv2d;
  constructor(c: number, hidden: number, bias: boolean, gen: { generator?: Generator }) {
    super();
    this.fc1 = this.registerModule('fc1', new Conv2d(c, hidden, 1, { bias, ...gen }));
    this.fc2 = this.registerModule('fc2', new Conv2d(hidden, c, 1, { bias, ...gen }));
  }
  forward(): never {
    throw new FoveaError({ op: 'CBAM.channel.forward', arg: 'this', expected: 'to be called through CBAM.forward', got: 'a direct call' });
  }
}

/** CBAM's spatial half: the `conv` over the (mean, max) maps. */
class SpatialGate extends Module<[], never> {
  /** The `k×k` convolution of the (mean, max) maps to one map. */
  readonly conv: Conv2d;
  constructor(k: number, bias: boolean, gen: { generator?: Generator }) {
    super();
    this.conv = this.registerModule('conv', new Conv2d(2, 1, k, { padding: Math.floor(k / 2), bias, ...gen }));
  }
  forward(): never {
    throw new FoveaError({ op: 'CBAM.spatial.forward', arg: 'this', expected: 'to be called through CBAM.forward', got: 'a direct call' });
  }
}

/**
 * CBAM as a module, with parameters `channel.fc1.weight` `[C/r, C, 1, 1]`,
 * `channel.fc2.weight` `[C, C/r, 1, 1]`, `spatial.conv.weight` `[1, 2, k, k]`
 * (and their biases with `bias: true`), PyTorch layouts in the state dict.
 * See {@link cbam}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { CBAM } from '@fovea/attention';
 * const attn = new CBAM(64, { reduction: 16, kernelSize: 7 });
 * attn.forward(tf.randomNormal([2, 8, 8, 64])).shape; // [2, 8, 8, 64]
 * Object.keys(attn.stateDict()); // ['channel.fc1.weight', 'channel.fc1.bias', 'channel.fc2.weight', …, 'spatial.conv.bias']
 * ```
 * @category Attention in CNNs
 */
export class CBAM extends Module<[tf.Tensor], tf.Tensor4D> {
  /** `C`, the channels. */
  readonly channels: number;
  /** `k`, the spatial attention kernel. */
  readonly kernelSize: number;
  private readonly channel: ChannelGate;
  private readonly spatial: SpatialGate;

  /**
   * @param channels `C`.
   * @param opts reduction (or hiddenChannels), kernelSize, bias, generator.
   */
  constructor(channels: number, opts: CBAMOptions = {}) {
    super();
    const op = 'CBAM';
    this.channels = checkSize(op, 'channels', channels);
    const r = checkSize(op, 'options.reduction', opts.reduction ?? 16);
    this.kernelSize = checkSize(op, 'options.kernelSize', opts.kernelSize ?? 7);
    if (this.kernelSize % 2 !== 1) throw new FoveaError({ op, arg: 'options.kernelSize', expected: 'an odd size', got: String(this.kernelSize) });
    const bias = checkBool(op, 'options.bias', opts.bias ?? true);
    const gen = genOpt(opts.generator);
    const hidden = opts.hiddenChannels === undefined ? Math.max(1, Math.floor(channels / r)) : checkSize(op, 'options.hiddenChannels', opts.hiddenChannels);
    this.channel = this.registerModule('channel', new ChannelGate(channels, hidden, bias, gen));
    this.spatial = this.registerModule('spatial', new SpatialGate(this.kernelSize, bias, gen));
  }

  /** `x [B, H, W, C]` → `[B, H, W, C]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    const { fc1, fc2 } = this.channel;
    const { conv } = this.spatial;
    return cbam(x, { fc1Weight: fc1.weight, fc1Bias: fc1.bias, fc2Weight: fc2.weight, fc2Bias: fc2.bias, spatialWeight: conv.weight, spatialBias: conv.bias });
  }
}
