import * as tf from '@tensorflow/tfjs-core';
import {
  FoveaError,
  Module,
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
import { conv2d, type Pair } from '@fovea/layers';
import { checkSize, connectedZeros, genOpt } from '../_internal/args.js';

/**
 * PixelCNN mask type: `'A'` hides the centre pixel (the first layer: a pixel
 * must not see itself), `'B'` shows it (later layers: the centre feature only
 * depends on earlier pixels).
 *
 * @category Autoregressive
 */
export type MaskType = 'A' | 'B';

function kernelPair(op: string, k: unknown, arg = 'kernelSize'): [number, number] {
  const [kh, kw] = Array.isArray(k) ? [checkSize(op, `${arg}[0]`, k[0]), checkSize(op, `${arg}[1]`, k[1])] : [checkSize(op, arg, k), checkSize(op, arg, k)];
  if (kh % 2 === 0 || kw % 2 === 0) {
    throw new FoveaError({ op, arg, expected: 'odd kernel sizes (the mask is centred)', got: `kernel ${formatShape([kh, kw])}` });
  }
  return [kh, kw];
}

/**
 * The PixelCNN causal mask of a `kH × kW` kernel, centre `(c_h, c_w) = (kH//2, kW//2)`:
 * 1 on the rows above the centre and left of it on the centre row, 0 on the rows
 * below and right of it; the centre itself is 0 for type `'A'` and 1 for `'B'`.
 * The same for every (input, output) channel pair (no RGB channel groups).
 *
 * @param kernelSize `k` or `[kH, kW]`, odd.
 * @param maskType `'A'` or `'B'`.
 * @returns float32 `[kH, kW, 1, 1]`, broadcastable to a `[kH, kW, Cin, Cout]` weight.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { pixelCnnMask } from '@fovea/generative';
 * tf.squeeze(pixelCnnMask(3, 'A')).print(); // [[1, 1, 1], [1, 0, 0], [0, 0, 0]]
 * ```
 * @category Autoregressive
 */
export function pixelCnnMask(kernelSize: Pair, maskType: MaskType): tf.Tensor4D {
  const op = 'pixelCnnMask';
  const [kh, kw] = kernelPair(op, kernelSize);
  const type = checkOneOf(op, 'maskType', maskType, ['A', 'B'] as const);
  const ch = kh >> 1;
  const cw = kw >> 1;
  const m = new Float32Array(kh * kw);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) m[i * kw + j] = i < ch || (i === ch && (j < cw || (j === cw && type === 'B'))) ? 1 : 0;
  }
  return tf.tensor4d(m, [kh, kw, 1, 1]);
}

/** Options for {@link maskedConv2d}. @category Autoregressive */
export interface MaskedConv2dOptions {
  /** `'A'` (hide the centre) or `'B'` (show it); default `'B'`. */
  maskType?: MaskType;
  /** Zero padding `int or [ph, pw]`; default `'same'` (`k // 2` on each side, the output keeps `H × W`). */
  padding?: Pair | 'same';
}

/**
 * The PixelCNN masked convolution (van den Oord et al., 2016): a stride-1
 * convolution whose weight is multiplied by {@link pixelCnnMask}, so output
 * pixel `(i, j)` only sees input pixels before it in raster order (and itself
 * for type `'B'`). `y = conv2d(x, weight ⊙ mask, bias)`; the weight's gradient
 * is masked too.
 *
 * @param x float32 `[N, H, W, Cin]`.
 * @param weight float32 `[kH, kW, Cin, Cout]` (PyTorch's `[Cout, Cin, kH, kW]` through `conv2dWeightLayout`), odd kH, kW.
 * @param bias float32 `[Cout]` or `null`.
 * @param opts maskType (default `'B'`), padding (default `'same'`).
 * @returns `[N, Ho, Wo, Cout]` (`[N, H, W, Cout]` with the default padding).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { maskedConv2d } from '@fovea/generative';
 * const x = tf.ones([1, 3, 3, 1]);
 * const y = maskedConv2d(x, tf.ones([3, 3, 1, 1]), null, { maskType: 'A' });
 * tf.squeeze(y).print(); // [[0, 1, 1], [2, 4, 3], [2, 4, 3]]: how many earlier pixels each one sees
 * ```
 * @category Autoregressive
 */
export function maskedConv2d(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null = null, opts: MaskedConv2dOptions = {}): tf.Tensor4D {
  const op = 'maskedConv2d';
  checkTensor(op, 'x', x, { rank: 4, dtype: 'float32' });
  checkTensor(op, 'weight', weight, { rank: 4, dtype: 'float32' });
  const [kh, kw] = kernelPair(op, [weight.shape[0], weight.shape[1]], 'weight');
  if (weight.shape[2] !== x.shape[3]) {
    throw new FoveaError({ op, arg: 'weight', expected: `[kH, kW, Cin, Cout] with Cin = ${x.shape[3]} (the channels of x)`, got: `shape ${formatShape(weight.shape)}` });
  }
  const type = checkOneOf(op, 'options.maskType', opts.maskType ?? 'B', ['A', 'B'] as const);
  const padding = opts.padding === undefined || opts.padding === 'same' ? ([kh >> 1, kw >> 1] as const) : opts.padding;
  if (x.size === 0) {
    // no kernel runs on empty tensors everywhere (tfjs-webgpu cannot reduce them): zeros, still on the tape
    const [ph, pw] = typeof padding === 'number' ? [padding, padding] : padding;
    const shape = [x.shape[0]!, x.shape[1]! + 2 * ph - kh + 1, x.shape[2]! + 2 * pw - kw + 1, weight.shape[3]!];
    if (shape[1]! >= 1 && shape[2]! >= 1) return connectedZeros(shape, [x, weight, bias]) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const w = tf.mul(weight, pixelCnnMask([kh, kw], type)); // [kH, kW, Cin, Cout], zero past the centre
    return conv2d(x, w, bias, { padding });
  });
}

/** Options for the {@link MaskedConv2d} module. @category Autoregressive */
export interface MaskedConv2dModuleOptions extends MaskedConv2dOptions {
  /** Learn an additive bias; default `true`. */
  bias?: boolean;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * A PixelCNN masked convolution layer, PyTorch's usual `MaskedConv2d(nn.Conv2d)`:
 * parameters `weight` (PyTorch `[Cout, Cin, kH, kW]`) and `bias` `[Cout]`,
 * initialised as `nn.Conv2d`; the mask is applied in every forward pass, so
 * a PyTorch `state_dict` with unmasked values loads and behaves the same.
 * See {@link maskedConv2d}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MaskedConv2d } from '@fovea/generative';
 * const conv = new MaskedConv2d(1, 16, 7, { maskType: 'A' });
 * conv.forward(tf.zeros([2, 28, 28, 1])).shape; // [2, 28, 28, 16]
 * ```
 * @category Autoregressive
 */
export class MaskedConv2d extends Module<[tf.Tensor], tf.Tensor4D> {
  /** `[kH, kW, Cin, Cout]` (PyTorch `[Cout, Cin, kH, kW]`). */
  readonly weight: Parameter;
  /** `[Cout]`, or `null`. */
  readonly bias: Parameter | null;
  /** `'A'` or `'B'`. */
  readonly maskType: MaskType;
  /** The padding the layer was built with. */
  readonly padding: Pair | 'same';

  /**
   * @param inChannels `Cin`.
   * @param outChannels `Cout`.
   * @param kernelSize `k` or `[kH, kW]`, odd.
   * @param opts maskType (default `'B'`), padding (default `'same'`), bias, generator.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: MaskedConv2dModuleOptions = {}) {
    super();
    const op = 'MaskedConv2d';
    const cin = checkSize(op, 'inChannels', inChannels);
    const cout = checkSize(op, 'outChannels', outChannels);
    const [kh, kw] = kernelPair(op, kernelSize);
    this.maskType = checkOneOf(op, 'options.maskType', opts.maskType ?? 'B', ['A', 'B'] as const);
    this.padding = opts.padding ?? 'same';
    const shape = [kh, kw, cin, cout];
    const gen = genOpt(opts.generator);
    this.weight = this.registerParameter('weight', defaultWeightInit(shape, { layout: conv2dWeightLayout, ...gen }), { layout: conv2dWeightLayout });
    const fanIn = computeFans(shape, conv2dWeightLayout).fanIn;
    this.bias = opts.bias === false ? this.registerParameter('bias', null) : this.registerParameter('bias', defaultBiasInit([cout], fanIn, gen));
  }

  /** `x [N, H, W, Cin]` → `[N, H, W, Cout]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return maskedConv2d(x, this.weight, this.bias, { maskType: this.maskType, padding: this.padding });
  }
}
