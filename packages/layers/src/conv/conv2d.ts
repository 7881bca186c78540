import * as tf from '@tensorflow/tfjs-core';
import {
  FoveaError,
  Module,
  checkNumber,
  checkOneOf,
  checkTensor,
  computeFans,
  conv2dWeightLayout,
  defaultBiasInit,
  defaultWeightInit,
  formatShape,
  type Generator,
  type Parameter,
} from '@fovea/core';
import { checkImage, connectedZeros, pair, sizeOf, type Pair } from '../_internal/args.js';
import { depthwiseValid } from '../_internal/depthwise.js';
import { dilateFilter } from '../_internal/spatial.js';

/** tfjs's explicit NHWC padding. */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** Explicit 2-D padding `[[top, bottom], [left, right]]`. @category Convolution */
export type Padding2d = readonly [readonly [number, number], readonly [number, number]];

/** Options for {@link conv2d}. @category Convolution */
export interface Conv2dOptions {
  /** Step between windows, `int or [sh, sw]`; default 1. */
  stride?: Pair;
  /**
   * Zero padding: `int or [ph, pw]` on both sides, `'valid'` (0), `'same'`
   * (stride 1 only; PyTorch's rule: total `d·(k-1)`, the extra pixel of an
   * odd total at the bottom/right) or explicit `[[top, bottom], [left, right]]`; default 0.
   */
  padding?: Pair | 'same' | 'valid' | Padding2d;
  /** Spacing between filter taps, `int or [dh, dw]`; default 1. */
  dilation?: Pair;
  /** Channel groups: input and output channels are split into `groups` independent convolutions; default 1. */
  groups?: number;
}

/** Resolved conv2d geometry (internal, shared with the transposed convolution and the Module). */
export interface Conv2dGeometry {
  stride: [number, number];
  dilation: [number, number];
  pad: [[number, number], [number, number]];
  groups: number;
}

/** @internal Resolves {@link Conv2dOptions} for a `kH × kW` kernel. */
export function resolveConv2d(op: string, opts: Conv2dOptions, kh: number, kw: number): Conv2dGeometry {
  const stride = pair(op, 'options.stride', opts.stride ?? 1, { integer: true, min: 1 });
  const dilation = pair(op, 'options.dilation', opts.dilation ?? 1, { integer: true, min: 1 });
  const groups = checkNumber(op, 'options.groups', opts.groups ?? 1, { integer: true, min: 1 });
  const p = opts.padding ?? 0;
  let pad: [[number, number], [number, number]];
  if (p === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new FoveaError({ op, arg: 'options.padding', expected: "'same' only with stride 1 (as in PyTorch)", got: `stride ${formatShape(stride)}` });
    }
    const th = dilation[0] * (kh - 1);
    const tw = dilation[1] * (kw - 1);
    pad = [
      [Math.floor(th / 2), th - Math.floor(th / 2)],
      [Math.floor(tw / 2), tw - Math.floor(tw / 2)],
    ];
  } else if (p === 'valid') {
    pad = [
      [0, 0],
      [0, 0],
    ];
  } else if (Array.isArray(p) && Array.isArray(p[0])) {
    const e = p as Padding2d;
    if (e.length !== 2 || !Array.isArray(e[1])) {
      throw new FoveaError({ op, arg: 'options.padding', expected: '[[top, bottom], [left, right]]', got: JSON.stringify(p) });
    }
    const [t, b] = pair(op, 'options.padding[0]', e[0], { integer: true, min: 0 });
    const [l, r] = pair(op, 'options.padding[1]', e[1], { integer: true, min: 0 });
    pad = [
      [t, b],
      [l, r],
    ];
  } else {
    if (typeof p === 'string') checkOneOf(op, 'options.padding', p, ['same', 'valid']);
    const [ph, pw] = pair(op, 'options.padding', p, { integer: true, min: 0 });
    pad = [
      [ph, ph],
      [pw, pw],
    ];
  }
  return { stride, dilation, pad, groups };
}

/** @internal Output size of one spatial dim. */
export function convOut(n: number, k: number, s: number, before: number, after: number, d: number): number {
  return Math.floor((n + before + after - d * (k - 1) - 1) / s) + 1;
}

/**
 * 2-D convolution (cross-correlation, zero padding), PyTorch's `F.conv2d` on
 * channels-last images: stride, padding (incl. `'same'` with PyTorch's
 * asymmetric rule for even kernels), dilation and groups (depthwise when
 * `groups = Cin`). Differentiable on every backend.
 *
 * @param x `[N, H, W, Cin]` images, channels last.
 * @param weight `[kH, kW, Cin/groups, Cout]` filters (PyTorch's `[Cout, Cin/groups, kH, kW]` through `conv2dWeightLayout`).
 * @param bias `[Cout]` or `null`.
 * @param opts stride, padding, dilation, groups.
 * @returns `[N, Ho, Wo, Cout]`, `Ho = floor((H + pt + pb - d(kH-1) - 1)/s) + 1`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { conv2d } from '@fovea/layers';
 * const x = tf.ones([1, 5, 5, 1]);
 * const w = tf.ones([3, 3, 1, 1]);
 * conv2d(x, w, null, { padding: 1 }).shape; // [1, 5, 5, 1]; the centre value is 9
 * ```
 * @category Convolution
 */
export function conv2d(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null = null, opts: Conv2dOptions = {}): tf.Tensor4D {
  const op = 'conv2d';
  const [n, h, w, cin] = checkImage(op, 'x', x);
  checkTensor(op, 'weight', weight, { rank: 4, dtype: 'float32' });
  const [kh, kw, cpg, cout] = weight.shape as [number, number, number, number];
  const g = resolveConv2d(op, opts, kh, kw);
  if (cpg * g.groups !== cin) {
    throw new FoveaError({
      op,
      arg: 'weight',
      expected: `[kH, kW, Cin/groups, Cout] with Cin/groups = ${cin}/${g.groups}`,
      got: `shape ${formatShape(weight.shape)} for x ${formatShape(x.shape)}`,
    });
  }
  if (cout % g.groups !== 0) {
    throw new FoveaError({ op, arg: 'weight', expected: `Cout divisible by groups = ${g.groups}`, got: `Cout = ${cout}` });
  }
  if (bias !== null) checkTensor(op, 'bias', bias, { shape: [cout], dtype: 'float32' });
  const ho = convOut(h, kh, g.stride[0], g.pad[0][0], g.pad[0][1], g.dilation[0]);
  const wo = convOut(w, kw, g.stride[1], g.pad[1][0], g.pad[1][1], g.dilation[1]);
  if (!(ho >= 1 && wo >= 1)) {
    throw new FoveaError({
      op,
      arg: 'x',
      expected: `a padded size of at least the dilated kernel ${formatShape([g.dilation[0] * (kh - 1) + 1, g.dilation[1] * (kw - 1) + 1])}`,
      got: `shape ${formatShape(x.shape)} with padding ${JSON.stringify(g.pad)}`,
    });
  }
  if (n === 0 || sizeOf(weight.shape) === 0) return connectedZeros([n, ho, wo, cout], [x, weight, bias]) as tf.Tensor4D;
  return tf.tidy(() => {
    const y = convCore(x as tf.Tensor4D, weight as tf.Tensor4D, g);
    return (bias ? tf.add(y, bias) : y) as tf.Tensor4D;
  });
}

/** @internal Convolution on validated inputs: `x [N, H, W, Cin]`, `w [kH, kW, Cin/g, Cout]`. */
export function convCore(x: tf.Tensor4D, w: tf.Tensor4D, g: Conv2dGeometry): tf.Tensor4D {
  const wd = dilateFilter(w, g.dilation[0], g.dilation[1]); // [kH', kW', Cin/g, Cout]
  const pad: ExplicitPadding = [[0, 0], [...g.pad[0]], [...g.pad[1]], [0, 0]];
  const cin = x.shape[3];
  const cout = w.shape[3];
  if (g.groups === 1) return tf.conv2d(x, wd, g.stride, pad);
  if (g.groups === cin) {
    // depthwise: output channel c·m + j reads input channel c
    const m = cout / cin;
    const xp = tf.pad(x, pad);
    return depthwiseValid(xp, tf.reshape(wd, [wd.shape[0], wd.shape[1], cin, m]) as tf.Tensor4D, g.stride);
  }
  const xs = tf.split(x, g.groups, 3); // groups × [N, H, W, Cin/g]
  const ws = tf.split(wd, g.groups, 3); // groups × [kH', kW', Cin/g, Cout/g]
  return tf.concat(
    xs.map((xi, i) => tf.conv2d(xi as tf.Tensor4D, ws[i] as tf.Tensor4D, g.stride, pad)),
    3,
  ) as tf.Tensor4D;
}

/** Options for the {@link Conv2d} module. @category Convolution */
export interface Conv2dModuleOptions extends Conv2dOptions {
  /** Learn an additive bias; default `true`. */
  bias?: boolean;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * A 2-D convolution layer (PyTorch's `nn.Conv2d`) with parameters `weight`
 * (PyTorch `[Cout, Cin/groups, kH, kW]`, stored `[kH, kW, Cin/groups, Cout]`)
 * and optional `bias` `[Cout]`, initialised as PyTorch does
 * (`U(±1/√fan_in)`). Input `[N, H, W, Cin]`, output `[N, Ho, Wo, Cout]`.
 * See {@link conv2d}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Conv2d } from '@fovea/layers';
 * const conv = new Conv2d(3, 16, 3, { padding: 1 });
 * conv.forward(tf.zeros([2, 32, 32, 3])).shape; // [2, 32, 32, 16]
 * Object.keys(conv.stateDict()); // ['weight', 'bias']
 * ```
 * @category Convolution
 */
export class Conv2d extends Module<[tf.Tensor], tf.Tensor4D> {
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
  readonly options: Required<Pick<Conv2dOptions, 'stride' | 'padding' | 'dilation' | 'groups'>>;

  /**
   * @param inChannels `Cin`.
   * @param outChannels `Cout`.
   * @param kernelSize `int or [kH, kW]`.
   * @param opts stride, padding, dilation, groups, bias, generator.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: Conv2dModuleOptions = {}) {
    super();
    const op = 'Conv2d';
    this.inChannels = checkNumber(op, 'inChannels', inChannels, { integer: true, min: 1 });
    this.outChannels = checkNumber(op, 'outChannels', outChannels, { integer: true, min: 1 });
    this.kernelSize = pair(op, 'kernelSize', kernelSize, { integer: true, min: 1 });
    const groups = resolveConv2d(op, opts, ...this.kernelSize).groups;
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new FoveaError({ op, arg: 'options.groups', expected: `a divisor of inChannels (${inChannels}) and outChannels (${outChannels})`, got: String(groups) });
    }
    this.options = { stride: opts.stride ?? 1, padding: opts.padding ?? 0, dilation: opts.dilation ?? 1, groups };
    const shape = [this.kernelSize[0], this.kernelSize[1], inChannels / groups, outChannels];
    const gen = opts.generator ? { generator: opts.generator } : {};
    this.weight = this.registerParameter('weight', defaultWeightInit(shape, { layout: conv2dWeightLayout, ...gen }), { layout: conv2dWeightLayout });
    const fanIn = computeFans(shape, conv2dWeightLayout).fanIn;
    this.bias = opts.bias === false ? this.registerParameter('bias', null) : this.registerParameter('bias', defaultBiasInit([outChannels], fanIn, gen));
  }

  /** `x [N, H, W, Cin]` → `[N, Ho, Wo, Cout]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return conv2d(x, this.weight, this.bias, this.options);
  }
}
