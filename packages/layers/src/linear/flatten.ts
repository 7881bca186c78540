import * as tf from '@tensorflow/tfjs-core';
import { Module, checkOneOf, checkTensor } from '@fovea/core';

/** Options for {@link flatten}. @category Linear */
export interface FlattenOptions {
  /**
   * `'torch'` (default): a channels-last image `[N, H, W, C]` (or volume) is
   * flattened in PyTorch's `C, H, W` order, so a following {@link Linear}
   * loads a PyTorch `state_dict` unchanged; `'native'`: a plain reshape in
   * memory order `H, W, C` (cheaper, for models trained here).
   */
  order?: 'torch' | 'native';
}

/**
 * Flattens every dim but the batch: `[N, ...]` → `[N, D]` (PyTorch's
 * `torch.flatten(x, 1)`), in PyTorch's channel-first order for rank-4 and
 * rank-5 channels-last inputs unless `order: 'native'`. Differentiable.
 *
 * @param x `[N, ...]` (`[N, H, W, C]` images).
 * @param opts order.
 * @returns `[N, D]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { flatten } from '@fovea/layers';
 * flatten(tf.zeros([8, 5, 5, 64])).shape; // [8, 1600], ordered as PyTorch's [64, 5, 5]
 * ```
 * @category Linear
 */
export function flatten(x: tf.Tensor, opts: FlattenOptions = {}): tf.Tensor2D {
  const op = 'flatten';
  checkTensor(op, 'x', x, { minRank: 1 });
  const order = checkOneOf(op, 'options.order', opts.order ?? 'torch', ['torch', 'native'] as const);
  const n = x.shape[0]!;
  const d = n === 0 ? x.shape.slice(1).reduce((a, b) => a * b, 1) : -1;
  return tf.tidy(() => {
    if (order === 'torch' && (x.rank === 4 || x.rank === 5) && x.size > 0) {
      const perm = [0, x.rank - 1, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 1)]; // [N, C, ...spatial]
      return tf.reshape(tf.transpose(x, perm), [n, d]) as tf.Tensor2D;
    }
    return tf.reshape(x, [n, d]) as tf.Tensor2D;
  });
}

/**
 * A flattening layer (PyTorch's `nn.Flatten()`), in PyTorch's order by
 * default. See {@link flatten}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Flatten } from '@fovea/layers';
 * new Flatten().forward(tf.zeros([2, 7, 7, 32])).shape; // [2, 1568]
 * ```
 * @category Linear
 */
export class Flatten extends Module<[tf.Tensor], tf.Tensor2D> {
  /** The options the layer was built with. */
  readonly options: FlattenOptions;

  /** @param opts order. */
  constructor(opts: FlattenOptions = {}) {
    super();
    checkOneOf('Flatten', 'options.order', opts.order ?? 'torch', ['torch', 'native'] as const);
    this.options = { ...opts };
  }

  /** `x [N, ...]` → `[N, D]`. */
  forward(x: tf.Tensor): tf.Tensor2D {
    return flatten(x, this.options);
  }
}
