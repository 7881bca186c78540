import * as tf from '@tensorflow/tfjs-core';
import {
  FoveaError,
  Module,
  checkNumber,
  checkTensor,
  computeFans,
  convTranspose2dWeightLayout,
  defaultBiasInit,
  defaultWeightInit,
  formatShape,
  type Generator,
  type Parameter,
} from '@fovea/core';
import { checkImage, connectedZeros, pair, sizeOf, type Pair } from '../_internal/args.js';
import { insertZeros } from '../_internal/spatial.js';
import { convCore, type ExplicitPadding } from './conv2d.js';

/** Options for {@link convTranspose2d}. @category Convolution */
export interface ConvTranspose2dOptions {
  /** Upsampling stride, `int or [sh, sw]`; default 1. */
  stride?: Pair;
  /** Rows/columns removed from both sides of the full output, `int or [ph, pw]`; default 0. */
  padding?: Pair;
  /** Rows/columns added at the bottom/right (to reach a size a stride cannot), less than `max(stride, dilation)`; default 0. */
  outputPadding?: Pair;
  /** Channel groups; default 1. */
  groups?: number;
  /** Spacing between filter taps; default 1. */
  dilation?: Pair;
}

interface Geometry {
  s: [number, number];
  p: [number, number];
  op: [number, number];
  d: [number, number];
  groups: number;
}

function resolve(op: string, opts: ConvTranspose2dOptions): Geometry {
  const s = pair(op, 'options.stride', opts.stride ?? 1, { integer: true, min: 1 });
  const p = pair(op, 'options.padding', opts.padding ?? 0, { integer: true, min: 0 });
  const o = pair(op, 'options.outputPadding', opts.outputPadding ?? 0, { integer: true, min: 0 });
  const d = pair(op, 'options.dilation', opts.dilation ?? 1, { integer: true, min: 1 });
  const groups = checkNumber(op, 'options.groups', opts.groups ?? 1, { integer: true, min: 1 });
  for (let i = 0; i < 2; i++) {
    if (o[i]! >= Math.max(s[i]!, d[i]!)) {
      throw new FoveaError({ op, arg: 'options.outputPadding', expected: 'smaller than max(stride, dilation) per dim', got: `${formatShape(o)} with stride ${formatShape(s)}, dilation ${formatShape(d)}` });
    }
  }
  return { s, p, op: o, d, groups };
}

/** `Ho = (H-1)·s - 2p + d(k-1) + outputPadding + 1`. */
function outSize(n: number, k: number, s: number, p: number, d: number, o: number): number {
  return (n - 1) * s - 2 * p + d * (k - 1) + o + 1;
}

/**
 * 2-D transposed convolution ("deconvolution"), PyTorch's
 * `F.conv_transpose2d` on channels-last images: the gradient of
 * {@link conv2d} with respect to its input, with stride, padding,
 * output padding, groups and dilation. Differentiable on every backend.
 *
 * @param x `[N, H, W, Cin]`.
 * @param weight `[kH, kW, Cout/groups, Cin]` (PyTorch's `[Cin, Cout/groups, kH, kW]` through `convTranspose2dWeightLayout`).
 * @param bias `[Cout]` or `null`.
 * @param opts stride, padding, outputPadding, groups, dilation.
 * @returns `[N, Ho, Wo, Cout]`, `Ho = (H-1)·s - 2p + d(kH-1) + outputPadding + 1`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { convTranspose2d } from '@fovea/layers';
 * const y = convTranspose2d(tf.ones([1, 4, 4, 8]), tf.ones([4, 4, 3, 8]), null, { stride: 2, padding: 1 });
 * y.shape; // [1, 8, 8, 3]
 * ```
 * @category Convolution
 */
export function convTranspose2d(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null = null, opts: ConvTranspose2dOptions = {}): tf.Tensor4D {
  const op = 'convTranspose2d';
  const [n, h, w, cin] = checkImage(op, 'x', x);
  checkTensor(op, 'weight', weight, { rank: 4, dtype: 'float32' });
  const [kh, kw, copg, wcin] = weight.shape as [number, number, number, number];
  const g = resolve(op, opts);
  if (wcin !== cin || cin % g.groups !== 0) {
    throw new FoveaError({
      op,
      arg: 'weight',
      expected: `[kH, kW, Cout/groups, Cin] with Cin = ${cin} divisible by groups = ${g.groups}`,
      got: `shape ${formatShape(weight.shape)}`,
    });
  }
  const cout = copg * g.groups;
  if (bias !== null) checkTensor(op, 'bias', bias, { shape: [cout], dtype: 'float32' });
  const ho = outSize(h, kh, g.s[0], g.p[0], g.d[0], g.op[0]);
  const wo = outSize(w, kw, g.s[1], g.p[1], g.d[1], g.op[1]);
  if (!(ho >= 1 && wo >= 1)) {
    throw new FoveaError({ op, arg: 'options.padding', expected: 'a padding that leaves an output of at least 1×1', got: `output ${formatShape([ho, wo])}` });
  }
  if (n === 0 || sizeOf(weight.shape) === 0 || h === 0 || w === 0) return connectedZeros([n, ho, wo, cout], [x, weight, bias]) as tf.Tensor4D;
  return tf.tidy(() => {
    let y: tf.Tensor4D;
    if (g.groups === 1 && g.d[0] === 1 && g.d[1] === 1 && g.p[0] <= kh - 1 && g.p[1] <= kw - 1) {
      const pad = [[0, 0], [g.p[0], g.p[0]], [g.p[1], g.p[1]], [0, 0]] as ExplicitPadding;
      y = tf.conv2dTranspose(x as tf.Tensor4D, weight as tf.Tensor4D, [n, ho, wo, cout], g.s, pad);
    } else {
      y = viaConv(x as tf.Tensor4D, weight as tf.Tensor4D, g);
    }
    return (bias ? tf.add(y, bias) : y) as tf.Tensor4D;
  });
}

/** The general route: zero insertion, then a stride-1 convolution with the flipped, transposed filter. */
function viaConv(x: tf.Tensor4D, weight: tf.Tensor4D, g: Geometry): tf.Tensor4D {
  const [kh, kw, copg, cin] = weight.shape;
  const cipg = cin / g.groups;
  let u = insertZeros(x, g.s[0], g.s[1]); // [N, (H-1)s+1, (W-1)s+1, Cin]
  const before = [g.d[0] * (kh - 1) - g.p[0], g.d[1] * (kw - 1) - g.p[1]];
  const after = [before[0]! + g.op[0], before[1]! + g.op[1]];
  const [, uh, uw] = u.shape;
  const top = Math.max(0, -before[0]!);
  const left = Math.max(0, -before[1]!);
  const bottom = Math.max(0, -after[0]!);
  const right = Math.max(0, -after[1]!);
  if (top + left + bottom + right > 0) u = tf.slice(u, [0, top, left, 0], [-1, uh - top - bottom, uw - left - right, -1]);
  const flipped = tf.reverse(weight, [0, 1]); // [kH, kW, Cout/g, Cin]
  const k5 = tf.reshape(flipped, [kh, kw, copg, g.groups, cipg]); // [kH, kW, Cout/g, g, Cin/g]
  const kernel = tf.reshape(tf.transpose(k5, [0, 1, 4, 3, 2]), [kh, kw, cipg, g.groups * copg]); // [kH, kW, Cin/g, Cout]
  return convCore(u, kernel as tf.Tensor4D, {
    stride: [1, 1],
    dilation: g.d,
    groups: g.groups,
    pad: [
      [Math.max(0, before[0]!), Math.max(0, after[0]!)],
      [Math.max(0, before[1]!), Math.max(0, after[1]!)],
    ],
  });
}

/** Options for the {@link ConvTranspose2d} module. @category Convolution */
export interface ConvTranspose2dModuleOptions extends ConvTranspose2dOptions {
  /** Learn an additive bias; default `true`. */
  bias?: boolean;
  /** Random source for the initial weights. */
  generator?: Generator;
}

/**
 * A transposed-convolution layer (PyTorch's `nn.ConvTranspose2d`) with
 * `weight` (PyTorch `[Cin, Cout/groups, kH, kW]`, stored
 * `[kH, kW, Cout/groups, Cin]`) and optional `bias` `[Cout]`, initialised as
 * PyTorch does. See {@link convTranspose2d}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ConvTranspose2d } from '@fovea/layers';
 * const up = new ConvTranspose2d(16, 8, 4, { stride: 2, padding: 1 });
 * up.forward(tf.zeros([1, 7, 7, 16])).shape; // [1, 14, 14, 8]
 * ```
 * @category Convolution
 */
export class ConvTranspose2d extends Module<[tf.Tensor, (readonly [number, number] | null)?], tf.Tensor4D> {
  /** The weight parameter (PyTorch layout through its `layout`; see the class doc for shapes). */
  readonly weight: Parameter;
  /** The bias parameter, or `null` without bias. */
  readonly bias: Parameter | null;
  /** Input channels `Cin`. */
  readonly inChannels: number;
  /** Output channels `Cout`. */
  readonly outChannels: number;
  /** The kernel size per spatial dim. */
  readonly kernelSize: [number, number];
  /** The options the layer was built with. */
  readonly options: ConvTranspose2dOptions;

  /**
   * @param inChannels `Cin`.
   * @param outChannels `Cout`.
   * @param kernelSize `int or [kH, kW]`.
   * @param opts stride, padding, outputPadding, groups, dilation, bias, generator.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: ConvTranspose2dModuleOptions = {}) {
    super();
    const op = 'ConvTranspose2d';
    this.inChannels = checkNumber(op, 'inChannels', inChannels, { integer: true, min: 1 });
    this.outChannels = checkNumber(op, 'outChannels', outChannels, { integer: true, min: 1 });
    this.kernelSize = pair(op, 'kernelSize', kernelSize, { integer: true, min: 1 });
    const g = resolve(op, opts);
    if (inChannels % g.groups !== 0 || outChannels % g.groups !== 0) {
      throw new FoveaError({ op, arg: 'options.groups', expected: `a divisor of inChannels (${inChannels}) and outChannels (${outChannels})`, got: String(g.groups) });
    }
    const { bias: _b, generator: _g, ...rest } = opts;
    this.options = rest;
    const shape = [this.kernelSize[0], this.kernelSize[1], outChannels / g.groups, inChannels];
    const gen = opts.generator ? { generator: opts.generator } : {};
    const layout = convTranspose2dWeightLayout;
    this.weight = this.registerParameter('weight', defaultWeightInit(shape, { layout, ...gen }), { layout });
    const fanIn = computeFans(shape, layout).fanIn;
    this.bias = opts.bias === false ? this.registerParameter('bias', null) : this.registerParameter('bias', defaultBiasInit([outChannels], fanIn, gen));
  }

  /**
   * `x [N, H, W, Cin]` → `[N, Ho, Wo, Cout]`. Give `outputSize [Ho, Wo]` to
   * pick the output padding that reaches it (PyTorch's `output_size` argument).
   */
  forward(x: tf.Tensor, outputSize: readonly [number, number] | null = null): tf.Tensor4D {
    if (outputSize == null) return convTranspose2d(x, this.weight, this.bias, this.options);
    const op = 'ConvTranspose2d.forward';
    const [, h, w] = checkImage(op, 'x', x);
    const g = resolve(op, { ...this.options, outputPadding: 0 });
    const size = pair(op, 'outputSize', outputSize, { integer: true, min: 1 });
    const base = [outSize(h, this.kernelSize[0], g.s[0], g.p[0], g.d[0], 0), outSize(w, this.kernelSize[1], g.s[1], g.p[1], g.d[1], 0)];
    const extra: [number, number] = [size[0] - base[0]!, size[1] - base[1]!];
    return convTranspose2d(x, this.weight, this.bias, { ...this.options, outputPadding: extra });
  }
}
