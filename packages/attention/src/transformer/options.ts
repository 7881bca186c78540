import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type Generator } from '@fovea/core';
import { checkBool, checkRate, checkSize } from '../_internal/args.js';
import { resolveActivation, type TransformerActivation } from './activation.js';

/** Options shared by {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} (PyTorch's arguments and defaults). @category Transformer */
export interface TransformerLayerOptions {
  /** Hidden width `F` of the feed-forward block; default 2048. */
  dimFeedforward?: number;
  /** Dropout on attention weights, after each sub-block and inside the feed-forward block (training mode); default 0.1. */
  dropout?: number;
  /** Feed-forward activation; default `'relu'`. */
  activation?: TransformerActivation;
  /** LayerNorm epsilon; default 1e-5. */
  layerNormEps?: number;
  /** Pre-norm (`x + f(norm(x))`) instead of post-norm (`norm(x + f(x))`); default `false`. */
  normFirst?: boolean;
  /** Random source for the initial weights and dropout (default: core's default generator). */
  generator?: Generator;
}

/** @internal Resolved layer options. */
export interface ResolvedLayerOptions {
  dimFeedforward: number;
  dropout: number;
  activation: TransformerActivation;
  act: (x: tf.Tensor) => tf.Tensor;
  layerNormEps: number;
  normFirst: boolean;
  generator: Generator | undefined;
}

/** @internal Checks and fills in the layer options. */
export function resolveLayerOptions(op: string, o: TransformerLayerOptions): ResolvedLayerOptions {
  return {
    dimFeedforward: checkSize(op, 'options.dimFeedforward', o.dimFeedforward ?? 2048),
    dropout: checkRate(op, 'options.dropout', o.dropout ?? 0.1),
    activation: o.activation ?? 'relu',
    act: resolveActivation(op, o.activation),
    layerNormEps: checkNumber(op, 'options.layerNormEps', o.layerNormEps ?? 1e-5, { gt: 0 }),
    normFirst: checkBool(op, 'options.normFirst', o.normFirst ?? false),
    generator: o.generator,
  };
}
