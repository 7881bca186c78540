import * as tf from '@tensorflow/tfjs-core';
import {
  FoveaError,
  Module,
  checkNumber,
  checkOneOf,
  checkTensor,
  computeFans,
  conv3dWeightLayout,
  defaultBiasInit,
  defaultWeightInit,
  formatShape,
  type Generator,
  type Parameter,
} from '@fovea/core';
import { connectedZeros, sizeOf, triple, type Triple } from '../_internal/args.js';
import { insertZerosAxis, padAxis } from '../_internal/spatial.js';

/** Options for {@link conv3d}. @category Convolution */
export interface Conv3dOptions {
  /** Step between windows, `int or [sd, sh, sw]`; default 1. */
  stride?: Triple;
  /** Zero padding on both sides, `int or [pd, ph, pw]`, or `'valid'` / `'same'` (stride 1; PyTorch's rule); default 0. */
  padding?: Triple | 'same' | 'valid';
  /** Spacing between filter taps; default 1. */
  dilation?: Triple;
  /** Channel groups; default 1. */
  groups?: number;
}

interface Geometry3d {
  stride: [number, number, number];
  dilation: [number, number, number];
  pad: [number, number][];
  groups: number;
}

function resolve(op: string, opts: Conv3dOptions, k: readonly number[]): Geometry3d {
  const stride = triple(op, 'options.stride', opts.stride ?? 1, { integer: true, min: 1 });
  const dilation = triple(op, 'options.dilation', opts.dilation ?? 1, { integer: true, min: 1 });
  const groups = checkNumber(op, 'options.groups', opts.groups ?? 1, { integer: true, min: 1 });
  const p = opts.padding ?? 0;
  let pad: [number, number][];
  if (p === 'same') {
    if (stride.some((s) => s !== 1)) {
      throw new FoveaError({ op, arg: 'options.padding', expected: "'same' only with stride 1 (as in PyTorch)", got: `stride ${formatShape(stride)}` });
    }
    pad = k.map((kk, i) => {
      const total = dilation[i]! * (kk - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)] as [number, number];
    });
  } else if (p === 'valid') {
    pad = [
      [0, 0],
      [0, 0],
      [0, 0],
    ];
  } else {
    if (typeof p === 'string') checkOneOf(op, 'options.padding', p, ['same', 'valid']);
    pad = triple(op, 'options.padding', p, { integer: true, min: 0 }).map((v) => [v, v] as [number, number]);
  }
  return { stride, dilation, pad, groups };
}

/**
 * 3-D convolution (cross-correlation, zero padding), PyTorch's `F.conv3d` on
 * channels-last volumes: stride, padding (incl. `'same'`), dilation, groups.
 * Differentiable on every backend.
 *
 * @param x `[N, D, H, W, Cin]` volumes, channels last.
 * @param weight `[kD, kH, kW, Cin/groups, Cout]` (PyTorch's `[Cout, Cin/groups, kD, kH, kW]` through `conv3dWeightLayout`).
 * @param bias `[Cout]` or `null`.
 * @param opts stride, padding, dilation, groups.
 * @returns `[N, Do, Ho, Wo, Cout]`, `Do = floor((D + 2p - d(kD-1) - 1)/s) + 1`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { conv3d } from '@fovea/layers';
 * const y = conv3d(tf.ones([1, 8, 8, 8, 1]), tf.ones([3, 3, 3, 1, 4]), null, { padding: 1 });
 * y.shape; // [1, 8, 8, 8, 4]
 * ```
 * @category Convolution
 */
export function conv3d(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null = null, opts: Conv3dOptions = {}): tf.Tensor5D {
  const op = 'conv3d';
  checkTensor(op, 'x', x, { rank: 5, dtype: 'float32' });
  checkTensor(op, 'weight', weight, { rank: 5, dtype: 'float32' });
  const [n, d, h, w, cin] = x.shape as [number, number, number, number, number];
  const [kd, kh, kw, cpg, cout] = weight.shape as [number, number, number, number, number];
  const g = resolve(op, opts, [kd, kh, kw]);
  if (cpg * g.groups !== cin || cout % g.groups !== 0) {
    throw new FoveaError({
      op,
      arg: 'weight',
      expected: `[kD, kH, kW, Cin/groups, Cout] with Cin/groups = ${cin}/${g.groups} and Cout divisible by groups`,
      got: `shape ${formatShape(weight.shape)} for x ${formatShape(x.shape)}`,
    });
  }
  if (bias !== null) checkTensor(op, 'bias', bias, { shape: [cout], dtype: 'float32' });
  const sizes = [d, h, w].map((len, i) => Math.floor((len + g.pad[i]![0] + g.pad[i]![1] - g.dilation[i]! * ([kd, kh, kw][i]! - 1) - 1) / g.stride[i]!) + 1);
  if (sizes.some((s) => s < 1)) {
    throw new FoveaError({ op, arg: 'x', expected: 'a padded size of at least the dilated kernel', got: `shape ${formatShape(x.shape)} (output ${formatShape(sizes)})` });
  }
  const outShape = [n, ...sizes, cout];
  if (n === 0 || sizeOf(weight.shape) === 0) return connectedZeros(outShape, [x, weight, bias]) as tf.Tensor5D;
  return tf.tidy(() => {
    // explicit padding and kernel dilation through rank-4 reshapes (tf.conv3d has neither explicit padding nor dilated gradients)
    let xp: tf.Tensor = x;
    g.pad.forEach(([b, a], i) => (xp = padAxis(xp, i + 1, b, a)));
    let wd: tf.Tensor = weight;
    g.dilation.forEach((dd, i) => (wd = insertZerosAxis(wd, i, dd)));
    let y: tf.Tensor;
    if (g.groups === 1) {
      y = tf.conv3d(xp as tf.Tensor5D, wd as tf.Tensor5D, g.stride, 'valid');
    } else {
      const xs = tf.split(xp, g.groups, 4);
      const ws = tf.split(wd, g.groups, 4);
      y = tf.concat(
        xs.map((xi, i) => tf.conv3d(xi as tf.Tensor5D, ws[i] as tf.Tensor5D, g.stride, 'valid')),
        4,
      );
    }
    if (!bias) return y as tf.Tensor5D;
    // add the bias on a rank-2 view (tfjs-webgpu cannot broadcast rank-5 binary ops)
    const flat = tf.add(tf.reshape(y, [-1, cout]), bias); // [N·Do·Ho·Wo, Cout]
    return tf.reshape<tf.Rank.R5>(flat, y.shape as [number, number, number, number, number]);
  });
}

/** Options for the {@link Conv3d} module. @category Convolution */
export interface Conv3dModuleOptions extends Conv3dOptions {
  /** Learn an additive bias; default `true`. */
  bias?: boolean;
  /** Random source for the initial weights. */
  generator?: Generator;
}

/**
 * A 3-D convolution layer (PyTorch's `nn.Conv3d`) for voxel grids, with
 * `weight` (PyTorch `[Cout, Cin/groups, kD, kH, kW]`, stored
 * `[kD, kH, kW, Cin/groups, Cout]`) and optional `bias`, initialised as
 * PyTorch does. See {@link conv3d}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Conv3d } from '@fovea/layers';
 * const conv = new Conv3d(1, 8, 3, { padding: 1 });
 * conv.forward(tf.zeros([2, 16, 16, 16, 1])).shape; // [2, 16, 16, 16, 8]
 * ```
 * @category Convolution
 */
export class Conv3d extends Module<[tf.Tensor], tf.Tensor5D> {
  /** The weight parameter (PyTorch layout through its `layout`; see the class doc for shapes). */
  readonly weight: Parameter;
  /** The bias parameter, or `null` without bias. */
  readonly bias: Parameter | null;
  /** Input channels `Cin`. */
  readonly inChannels: number;
  /** Output channels `Cout`. */
  readonly outChannels: number;
  /** The kernel size per spatial dim. */
  readonly kernelSize: [number, number, number];
  /** The options the layer was built with. */
  readonly options: Conv3dOptions;

  /**
   * @param inChannels `Cin`.
   * @param outChannels `Cout`.
   * @param kernelSize `int or [kD, kH, kW]`.
   * @param opts stride, padding, dilation, groups, bias, generator.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: Triple, opts: Conv3dModuleOptions = {}) {
    super();
    const op = 'Conv3d';
    this.inChannels = checkNumber(op, 'inChannels', inChannels, { integer: true, min: 1 });
    this.outChannels = checkNumber(op, 'outChannels', outChannels, { integer: true, min: 1 });
    this.kernelSize = triple(op, 'kernelSize', kernelSize, { integer: true, min: 1 });
    const g = resolve(op, opts, this.kernelSize);
    if (inChannels % g.groups !== 0 || outChannels % g.groups !== 0) {
      throw new FoveaError({ op, arg: 'options.groups', expected: `a divisor of inChannels (${inChannels}) and outChannels (${outChannels})`, got: String(g.groups) });
    }
    const { bias: _b, generator: _g, ...rest } = opts;
    this.options = rest;
    const shape = [...this.kernelSize, inChannels / g.groups, outChannels];
    const gen = opts.generator ? { generator: opts.generator } : {};
    this.weight = this.registerParameter('weight', defaultWeightInit(shape, { layout: conv3dWeightLayout, ...gen }), { layout: conv3dWeightLayout });
    const fanIn = computeFans(shape, conv3dWeightLayout).fanIn;
    this.bias = opts.bias === false ? this.registerParameter('bias', null) : this.registerParameter('bias', defaultBiasInit([outChannels], fanIn, gen));
  }

  /** `x [N, D, H, W, Cin]` → `[N, Do, Ho, Wo, Cout]`. */
  forward(x: tf.Tensor): tf.Tensor5D {
    return conv3d(x, this.weight, this.bias, this.options);
  }
}
