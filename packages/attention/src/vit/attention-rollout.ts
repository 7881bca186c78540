import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkOneOf, checkTensor, formatShape } from '@fovea/core';

/** Options of {@link attentionRollout}. @category Vision Transformer */
export interface AttentionRolloutOptions {
  /** How each block's heads are combined: `'mean'` (default, Abnar & Zuidema), `'max'` or `'min'`. */
  headFusion?: 'mean' | 'max' | 'min';
  /** Weight of the residual identity added to each block's attention before renormalising; default 1 (`0.5·A + 0.5·I`). */
  residualWeight?: number;
}

/**
 * Attention rollout (Abnar & Zuidema 2020): how much each input token flows
 * into each output token through all blocks, accounting for the residual
 * connections. Each block's attention `[B, nh, S, S]` is fused over heads,
 * mixed with the identity (`Â = (A + r·I) / (1 + r)`, rows renormalised) and
 * the blocks are multiplied, first block rightmost: `R = Â_L ⋯ Â_1`. For a ViT,
 * row 0 of `R` without its first column, reshaped to the patch grid, is the
 * class token's attention map.
 *
 * @param attention one `[B, nh, S, S]` tensor per block, first block first (as {@link VisionTransformer.forwardWithAttention} returns them).
 * @param opts headFusion, residualWeight.
 * @returns `[B, S, S]`, each row summing to 1.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { VisionTransformer, attentionRollout } from '@fovea/attention';
 * const vit = new VisionTransformer({ imageSize: 28, patchSize: 7, inChannels: 1, numLayers: 2, numHeads: 2, hiddenDim: 32, mlpDim: 64, numClasses: 10 });
 * const { logits, attention } = vit.forwardWithAttention(tf.zeros([1, 28, 28, 1]));
 * const rollout = attentionRollout(attention);                            // [1, 17, 17]
 * const map = tf.reshape(tf.slice(rollout, [0, 0, 1], [1, 1, 16]), [4, 4]); // class token → 4×4 patches
 * ```
 * @category Vision Transformer
 */
export function attentionRollout(attention: readonly tf.Tensor[], opts: AttentionRolloutOptions = {}): tf.Tensor3D {
  const op = 'attentionRollout';
  if (!Array.isArray(attention) || attention.length === 0) {
    throw new FoveaError({ op, arg: 'attention', expected: 'a non-empty array of [B, nh, S, S] tensors', got: Array.isArray(attention) ? 'an empty array' : typeof attention });
  }
  const dims = {};
  attention.forEach((a, i) => checkTensor(op, `attention[${i}]`, a, { shape: ['B', null, 'S', 'S'], dtype: 'float32' }, dims));
  const fusion = checkOneOf(op, 'options.headFusion', opts.headFusion ?? 'mean', ['mean', 'max', 'min'] as const);
  const r = checkNumber(op, 'options.residualWeight', opts.residualWeight ?? 1, { min: 0 });
  const [b, , s] = attention[0]!.shape as [number, number, number, number];
  if (b * s === 0) throw new FoveaError({ op, arg: 'attention', expected: 'non-empty attention maps', got: `shape ${formatShape(attention[0]!.shape)}` });
  return tf.tidy(() => {
    const eye = tf.mul(tf.eye(s), r); // [S, S]
    let rollout: tf.Tensor = tf.tile(tf.expandDims(tf.eye(s), 0), [b, 1, 1]); // [B, S, S]
    for (const a of attention) {
      const fused = fusion === 'mean' ? tf.mean(a, 1) : fusion === 'max' ? tf.max(a, 1) : tf.min(a, 1); // [B, S, S]
      const mixed = tf.add(fused, eye);
      const norm = tf.div(mixed, tf.sum(mixed, -1, true)); // rows sum to 1
      rollout = tf.matMul(norm, rollout); // [B, S, S]
    }
    return rollout as tf.Tensor3D;
  });
}
