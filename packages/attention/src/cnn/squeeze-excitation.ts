import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape, relu, sigmoid, type Generator } from '@fovea/core';
import { Conv2d } from '@fovea/layers';
import { checkSize, connectedZeros, genOpt } from '../_internal/args.js';

/** The weights of {@link squeezeExcitation}, in Fovea's `Conv2d` layout (`[1, 1, Cin, Cout]`; PyTorch's `[Cout, Cin, 1, 1]` through `conv2dWeightLayout`). @category Attention in CNNs */
export interface SqueezeExcitationWeights {
  /** `[1, 1, C, S]` squeeze (PyTorch's `fc1.weight` `[S, C, 1, 1]`). */
  fc1Weight: tf.Tensor;
  /** `[S]` or none. */
  fc1Bias?: tf.Tensor | null;
  /** `[1, 1, S, C]` excitation (PyTorch's `fc2.weight` `[C, S, 1, 1]`). */
  fc2Weight: tf.Tensor;
  /** `[C]` or none. */
  fc2Bias?: tf.Tensor | null;
}

/** Options of {@link squeezeExcitation} and {@link SqueezeExcitation}. @category Attention in CNNs */
export interface SqueezeExcitationOptions {
  /** Between the two 1×1 layers; default ReLU (torchvision). */
  activation?: (x: tf.Tensor) => tf.Tensor;
  /** Turns the excitation into channel weights; default sigmoid (torchvision). */
  scaleActivation?: (x: tf.Tensor) => tf.Tensor;
}

/** `[B, C]` descriptors through the 1×1 layers (as matmuls): `[B, Cout]`. */
function fc(s: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null | undefined): tf.Tensor {
  const [, , cin, cout] = w.shape as [number, number, number, number];
  const y = tf.matMul(s, tf.reshape(w, [cin, cout])); // [B, Cout]
  return b ? tf.add(y, b) : y;
}

/** @internal Checks a 1×1 conv weight `[1, 1, cin, cout]` and its bias. */
export function check1x1(op: string, arg: string, w: tf.Tensor, b: tf.Tensor | null | undefined, cin: number): number {
  checkTensor(op, `weights.${arg}Weight`, w, { rank: 4, dtype: 'float32' });
  if (w.shape[0] !== 1 || w.shape[1] !== 1 || w.shape[2] !== cin) {
    throw new FoveaError({ op, arg: `weights.${arg}Weight`, expected: `[1, 1, ${cin}, Cout] (a 1×1 Conv2d weight)`, got: `shape ${formatShape(w.shape)}` });
  }
  const cout = w.shape[3]!;
  if (b) checkTensor(op, `weights.${arg}Bias`, b, { shape: [cout], dtype: 'float32' });
  return cout;
}

/**
 * Squeeze-and-excitation channel attention (Hu et al. 2018), torchvision's
 * `ops.SqueezeExcitation`: each channel's spatial mean (squeeze) goes
 * through a 1×1 bottleneck `C → S → C` (ReLU between, sigmoid after) and
 * rescales that channel: `y = x · σ(fc2(relu(fc1(mean_hw(x)))))`. Differentiable.
 *
 * @param x `[B, H, W, C]`.
 * @param weights fc1 `[1, 1, C, S]`, fc2 `[1, 1, S, C]` and biases.
 * @param opts activation, scaleActivation.
 * @returns `[B, H, W, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { squeezeExcitation } from '@fovea/attention';
 * const y = squeezeExcitation(tf.ones([2, 4, 4, 8]), { fc1Weight: tf.zeros([1, 1, 8, 2]), fc2Weight: tf.zeros([1, 1, 2, 8]) });
 * y.shape; // [2, 4, 4, 8], every value 0.5 (σ(0) = 0.5)
 * ```
 * @category Attention in CNNs
 */
export function squeezeExcitation(x: tf.Tensor, weights: SqueezeExcitationWeights, opts: SqueezeExcitationOptions = {}): tf.Tensor4D {
  const op = 'squeezeExcitation';
  checkTensor(op, 'x', x, { rank: 4, dtype: 'float32' });
  const c = x.shape[3]!;
  const s = check1x1(op, 'fc1', weights.fc1Weight, weights.fc1Bias, c);
  const cout = check1x1(op, 'fc2', weights.fc2Weight, weights.fc2Bias, s);
  if (cout !== c) throw new FoveaError({ op, arg: 'weights.fc2Weight', expected: `[1, 1, ${s}, ${c}] (back to C channels)`, got: `shape ${formatShape(weights.fc2Weight.shape)}` });
  const act = opts.activation ?? relu;
  const scaleAct = opts.scaleActivation ?? sigmoid;
  const [b] = x.shape;
  if (x.size === 0) return connectedZeros(x.shape, [x, weights.fc1Weight, weights.fc2Weight]) as tf.Tensor4D;
  return tf.tidy(() => {
    const squeezed = tf.mean(x, [1, 2]); // [B, C]
    const g = scaleAct(fc(act(fc(squeezed, weights.fc1Weight, weights.fc1Bias)), weights.fc2Weight, weights.fc2Bias)); // [B, C]
    return tf.mul(x, tf.reshape(g, [b!, 1, 1, c])) as tf.Tensor4D; // [B, H, W, C]
  });
}

/** Options of the {@link SqueezeExcitation} module. @category Attention in CNNs */
export interface SqueezeExcitationModuleOptions extends SqueezeExcitationOptions {
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * A squeeze-and-excitation block with torchvision's `SqueezeExcitation`
 * parameters (`fc1`, `fc2`: 1×1 `Conv2d`s with bias), so its state dict
 * loads unchanged. See {@link squeezeExcitation}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SqueezeExcitation } from '@fovea/attention';
 * const se = new SqueezeExcitation(64, 16); // C = 64 squeezed to 16
 * se.forward(tf.randomNormal([2, 8, 8, 64])).shape; // [2, 8, 8, 64]
 * ```
 * @category Attention in CNNs
 */
export class SqueezeExcitation extends Module<[tf.Tensor], tf.Tensor4D> {
  /** The squeeze layer: a 1×1 `Conv2d(C, S)`. */
  readonly fc1: Conv2d;
  /** The excitation layer: a 1×1 `Conv2d(S, C)`. */
  readonly fc2: Conv2d;
  private readonly opts: SqueezeExcitationOptions;

  /**
   * @param inputChannels `C`.
   * @param squeezeChannels `S`, the bottleneck width (often `C / 16`).
   * @param opts activation, scaleActivation, generator.
   */
  constructor(inputChannels: number, squeezeChannels: number, opts: SqueezeExcitationModuleOptions = {}) {
    super();
    const c = checkSize('SqueezeExcitation', 'inputChannels', inputChannels);
    const s = checkSize('SqueezeExcitation', 'squeezeChannels', squeezeChannels);
    this.fc1 = this.registerModule('fc1', new Conv2d(c, s, 1, genOpt(opts.generator)));
    this.fc2 = this.registerModule('fc2', new Conv2d(s, c, 1, genOpt(opts.generator)));
    this.opts = { ...(opts.activation ? { activation: opts.activation } : {}), ...(opts.scaleActivation ? { scaleActivation: opts.scaleActivation } : {}) };
  }

  /** `x [B, H, W, C]` → `[B, H, W, C]`. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return squeezeExcitation(x, { fc1Weight: this.fc1.weight, fc1Bias: this.fc1.bias, fc2Weight: this.fc2.weight, fc2Bias: this.fc2.bias }, this.opts);
  }
}
