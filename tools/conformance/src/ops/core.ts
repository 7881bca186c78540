/** Conformance handlers for `core.*` ops: each maps a case to @fovea/core's public API. */
import * as tf from '@tensorflow/tfjs-core';
import {
  FoveaError,
  knnPredict,
  squaredEuclideanDistance,
  PCA,
  Whitening,
  standardize,
  type WhiteningKind,
  bceWithLogits,
  crossEntropy,
  elasticNet,
  elu,
  gelu,
  huberLoss,
  l1,
  l2,
  leakyRelu,
  logSoftmax,
  mseLoss,
  prelu,
  relu,
  selu,
  sigmoid,
  silu,
  smoothL1Loss,
  softmax,
  softplus,
  svmLoss,
  tanh,
  type GeluApproximate,
  type Reduction,
} from '@fovea/core';
import { withGrads } from '../grad.js';
import type { OpContext, OpHandler } from '../types.js';

type Attrs = Record<string, unknown>;
const num = (a: Attrs, k: string, d?: number): number => (a[k] === undefined ? d! : (a[k] as number));
const str = <T extends string>(a: Attrs, k: string, d: T): T => (a[k] === undefined ? d : (a[k] as T));
const red = (a: Attrs): Reduction => str(a, 'reduction', 'mean');

/** `core.activation`: the function named by `fn`; prelu's weight applies along PyTorch's channel axis 1. */
function activation(ctx: OpContext): Record<string, tf.Tensor> {
  const a = ctx.attrs;
  const fn = a['fn'] as string;
  return withGrads(ctx, (inp) => {
    const x = inp['x']!;
    switch (fn) {
      case 'relu':
        return { y: relu(x) };
      case 'leaky_relu':
        return { y: leakyRelu(x, num(a, 'negative_slope', 0.01)) };
      case 'elu':
        return { y: elu(x, num(a, 'alpha', 1)) };
      case 'selu':
        return { y: selu(x) };
      case 'gelu':
        return { y: gelu(x, str<GeluApproximate>(a, 'approximate', 'none')) };
      case 'sigmoid':
        return { y: sigmoid(x) };
      case 'tanh':
        return { y: tanh(x) };
      case 'softplus':
        return { y: softplus(x, { beta: num(a, 'beta', 1), threshold: num(a, 'threshold', 20) }) };
      case 'prelu':
        return { y: prelu(x, inp['weight']!, { channelAxis: x.rank >= 2 ? 1 : -1 }) };
      case 'silu':
        return { y: silu(x) };
      default:
        throw new FoveaError({ op: 'core.activation', arg: 'fn', expected: 'a known activation', got: `'${fn}'` });
    }
  });
}

export const coreOps: Record<string, OpHandler> = {
  'core.activation': activation,
  'core.softmax': (ctx) => withGrads(ctx, (inp) => ({ y: softmax(inp['x']!, num(ctx.attrs, 'dim')) })),
  'core.log_softmax': (ctx) => withGrads(ctx, (inp) => ({ y: logSoftmax(inp['x']!, num(ctx.attrs, 'dim')) })),
  'core.softmax_cross_entropy': (ctx) =>
    withGrads(ctx, (inp) => ({
      loss: crossEntropy(inp['logits']!, inp['labels']!, { reduction: red(ctx.attrs), labelSmoothing: num(ctx.attrs, 'label_smoothing', 0) }),
    })),
  'core.svm_loss': (ctx) =>
    withGrads(ctx, (inp) => ({ loss: svmLoss(inp['scores']!, inp['labels']!, { margin: num(ctx.attrs, 'margin', 1) }) })),
  'core.mse_loss': (ctx) => withGrads(ctx, (inp) => ({ loss: mseLoss(inp['input']!, inp['target']!, { reduction: red(ctx.attrs) }) })),
  'core.bce_with_logits': (ctx) =>
    withGrads(ctx, (inp) => {
      const pw = inp['pos_weight'];
      return { loss: bceWithLogits(inp['input']!, inp['target']!, { reduction: red(ctx.attrs), ...(pw ? { posWeight: pw } : {}) }) };
    }),
  'core.smooth_l1_loss': (ctx) =>
    withGrads(ctx, (inp) => ({ loss: smoothL1Loss(inp['input']!, inp['target']!, { reduction: red(ctx.attrs), beta: num(ctx.attrs, 'beta', 1) }) })),
  'core.huber_loss': (ctx) =>
    withGrads(ctx, (inp) => ({ loss: huberLoss(inp['input']!, inp['target']!, { reduction: red(ctx.attrs), delta: num(ctx.attrs, 'delta', 1) }) })),
  'core.regularization': (ctx) =>
    withGrads(ctx, (inp) => {
      const w = inp['w']!;
      const kind = ctx.attrs['kind'];
      if (kind === 'l1') return { r: l1(w) };
      if (kind === 'l2') return { r: l2(w) };
      if (kind === 'elastic_net') return { r: elasticNet(w, num(ctx.attrs, 'beta')) };
      throw new FoveaError({ op: 'core.regularization', arg: 'kind', expected: "'l1', 'l2' or 'elastic_net'", got: String(kind) });
    }),
  'core.standardize': (ctx) => {
    const { y, mean, std } = standardize(ctx.inputs['x']!, { eps: num(ctx.attrs, 'eps', 0) });
    return { y, mean, std };
  },
  'core.pca': async (ctx) => {
    const x = ctx.inputs['x']!;
    const model = await new PCA({ nComponents: num(ctx.attrs, 'k') }).fit(x);
    try {
      return { components: tf.clone(model.components), explained_variance: tf.clone(model.explainedVariance), projected: model.transform(x) };
    } finally {
      model.dispose();
    }
  },
  'core.whiten': async (ctx) => {
    const model = await new Whitening({ kind: str<WhiteningKind>(ctx.attrs, 'kind', 'pca'), eps: num(ctx.attrs, 'eps', 0) }).fit(ctx.inputs['x']!);
    try {
      return { y: model.transform(ctx.inputs['x']!) };
    } finally {
      model.dispose();
    }
  },
  'core.squared_euclidean_distance': (ctx) => ({ d: squaredEuclideanDistance(ctx.inputs['x']!, ctx.inputs['y']!) }),
  'core.knn_predict': async (ctx) => ({
    labels: await knnPredict(ctx.inputs['train_x']!, ctx.inputs['train_y']!, ctx.inputs['test_x']!, { k: num(ctx.attrs, 'k', 1) }),
  }),
};
