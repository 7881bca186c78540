import * as tf from '@tensorflow/tfjs-core';
import { Module, type Generator, type Sequential } from '@fovea/core';
import { checkBatchOf, checkSize, checkSizes, sizeOf } from '../_internal/args.js';
import { flattenItems, mlp, unflattenItems } from '../_internal/mlp.js';

/** Options for {@link Autoencoder}. @category Autoencoder */
export interface AutoencoderOptions {
  /** The shape of one item: `[D]` vectors or `[H, W, C]` images (e.g. `[28, 28, 1]`). */
  inputShape: readonly number[];
  /** Hidden widths of the encoder (the decoder mirrors them); default `[256]`. */
  hidden?: readonly number[];
  /** Size `Z` of the code; default 32. */
  latentDim?: number;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * A fully connected autoencoder: `encoder` (`Linear → ReLU` per hidden width,
 * then `Linear` to the code `[N, Z]`) and a mirrored `decoder` back to logits
 * of the input's shape. Train it to reconstruct (`bceWithLogits(model.forward(x), x)`
 * for data in `[0, 1]`, or `mseLoss`), then reuse {@link Autoencoder.encode}
 * as features for a classifier with few labels, or freeze `encoder` in a
 * larger model. Images are flattened in PyTorch's `C, H, W` order, so the
 * state dict (`encoder.0.weight`, …, `decoder.0.weight`, …) matches an
 * equivalent `nn.Sequential` autoencoder.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { bceWithLogits } from '@fovea/core';
 * import { Autoencoder } from '@fovea/generative';
 * const ae = new Autoencoder({ inputShape: [28, 28, 1], hidden: [256], latentDim: 32 });
 * const x = tf.randomUniform([8, 28, 28, 1]);
 * ae.forward(x).shape;          // [8, 28, 28, 1] reconstruction logits
 * ae.encode(x).shape;           // [8, 32] codes
 * bceWithLogits(ae.forward(x), x).print(); // the reconstruction loss to minimise
 * ```
 * @category Autoencoder
 */
export class Autoencoder extends Module<[tf.Tensor], tf.Tensor> {
  /** The shape of one item. */
  readonly inputShape: readonly number[];
  /** The code size `Z`. */
  readonly latentDim: number;
  /** `[N, D]` → `[N, Z]`. */
  readonly encoder: Sequential;
  /** `[N, Z]` → `[N, D]` logits. */
  readonly decoder: Sequential;

  constructor(opts: AutoencoderOptions) {
    super();
    const op = 'Autoencoder';
    this.inputShape = checkSizes(op, 'options.inputShape', opts?.inputShape);
    const hidden = checkSizes(op, 'options.hidden', opts.hidden ?? [256]);
    this.latentDim = checkSize(op, 'options.latentDim', opts.latentDim ?? 32);
    const d = sizeOf(this.inputShape);
    this.encoder = this.registerModule('encoder', mlp([d, ...hidden, this.latentDim], opts.generator));
    this.decoder = this.registerModule('decoder', mlp([this.latentDim, ...[...hidden].reverse(), d], opts.generator));
  }

  /** `x [N, ...inputShape]` → codes `[N, Z]`. */
  encode(x: tf.Tensor): tf.Tensor {
    checkBatchOf('Autoencoder.encode', 'x', x, this.inputShape);
    return tf.tidy(() => this.encoder.forward(flattenItems(x)));
  }

  /** Codes `[N, Z]` → reconstruction logits `[N, ...inputShape]`. */
  decode(z: tf.Tensor): tf.Tensor {
    checkBatchOf('Autoencoder.decode', 'z', z, [this.latentDim]);
    return tf.tidy(() => unflattenItems(this.decoder.forward(z), this.inputShape));
  }

  /** `x [N, ...inputShape]` → reconstruction logits `[N, ...inputShape]` (`decode(encode(x))`). */
  forward(x: tf.Tensor): tf.Tensor {
    checkBatchOf('Autoencoder.forward', 'x', x, this.inputShape);
    return tf.tidy(() => unflattenItems(this.decoder.forward(this.encoder.forward(flattenItems(x))), this.inputShape));
  }
}
