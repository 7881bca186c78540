/** Conformance handlers for `layers.*` ops: each maps a case to @fovea/layers's public API. */
import * as tf from '@tensorflow/tfjs-core';
import { Module, nchwToNhwc, nhwcToNchw, type Parameter, type StateDict } from '@fovea/core';
import {
  BasicBlock,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  ConvTranspose2d,
  GroupNorm,
  InstanceNorm2d,
  LayerNorm,
  Linear,
  adaptiveAvgPool2d,
  avgPool2d,
  bedOfNailsUnpool,
  convOutputSize,
  interpolate,
  maxPool2dWithIndices,
  maxUnpool2d,
  pixelShuffle,
  receptiveField,
  type AdaptiveSize,
  type InterpolateMode,
} from '@fovea/layers';
import { withGrads } from '../grad.js';
import type { OpContext, OpHandler } from '../types.js';

type Attrs = Record<string, unknown>;
type PairAttr = number | [number, number];

const pairAttr = (a: Attrs, k: string, dflt: PairAttr): PairAttr => (a[k] === undefined || a[k] === null ? dflt : (a[k] as PairAttr));

/** The case inputs whose names are state-dict keys (everything but the listed data inputs). */
function stateDict(inputs: Record<string, tf.Tensor>, except: string[]): StateDict {
  const out: StateDict = {};
  for (const [k, v] of Object.entries(inputs)) if (!except.includes(k)) out[k] = v;
  return out;
}

/**
 * Converts int32 indices between layouts through float32 (exact below 2^24):
 * tfjs-webgpu 4.22 cannot transpose an int32 tensor, and its int32 → float32
 * cast only relabels the buffer, so the values are converted by a multiply.
 */
function convertIndices(t: tf.Tensor, convert: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.cast(convert(tf.mul(t, tf.scalar(1, 'float32'))), 'int32'));
}

/** The module's parameters by state-dict name, for `withGrads`. */
function paramsOf(m: Module): Record<string, Parameter> {
  return Object.fromEntries(m.namedParameters());
}

/**
 * Runs `forward` (NHWC in, NHWC out) on the case's NCHW `x` with gradients
 * for `x` and the module's parameters, converting at both ends with core's
 * interop helpers (`imageIn = false` passes `x` unchanged).
 */
function runImage(ctx: OpContext, m: Module | null, forward: (x: tf.Tensor) => tf.Tensor, imageIn = true): Record<string, tf.Tensor> {
  return withGrads(
    ctx,
    (inputs) => {
      const x = imageIn ? nchwToNhwc(inputs['x']!) : inputs['x']!;
      const y = forward(x);
      return { y: imageIn ? nhwcToNchw(y) : y };
    },
    m ? paramsOf(m) : {},
  );
}

/** Loads the case's state dict into a fresh module, runs `fn`, and always disposes the module. */
function withModule<M extends Module, R>(ctx: OpContext, m: M, fn: (m: M) => R, strict = true): R {
  try {
    m.loadStateDict(stateDict(ctx.inputs, ['x']), { strict });
    return fn(m);
  } finally {
    m.dispose();
  }
}

const linearOp: OpHandler = (ctx) => {
  const { weight } = ctx.inputs;
  const [out, inF] = weight!.shape as [number, number];
  const m = new Linear(inF, out, { bias: 'bias' in ctx.inputs });
  return withModule(ctx, m, () => runImage(ctx, m, (x) => m.forward(x), false));
};

const conv2dOp: OpHandler = (ctx) => {
  const { weight, x } = ctx.inputs;
  const a = ctx.attrs;
  const [cout, , kh, kw] = weight!.shape as [number, number, number, number];
  const m = new Conv2d(x!.shape[1]!, cout, [kh, kw], {
    stride: pairAttr(a, 'stride', 1),
    padding: (a['padding'] ?? 0) as PairAttr | 'same',
    dilation: pairAttr(a, 'dilation', 1),
    groups: (a['groups'] as number) ?? 1,
    bias: 'bias' in ctx.inputs,
  });
  return withModule(ctx, m, () => runImage(ctx, m, (xi) => m.forward(xi)));
};

const convTranspose2dOp: OpHandler = (ctx) => {
  const { weight } = ctx.inputs;
  const a = ctx.attrs;
  const groups = (a['groups'] as number) ?? 1;
  const [cin, copg, kh, kw] = weight!.shape as [number, number, number, number];
  const m = new ConvTranspose2d(cin, copg * groups, [kh, kw], {
    stride: pairAttr(a, 'stride', 1),
    padding: pairAttr(a, 'padding', 0),
    outputPadding: pairAttr(a, 'output_padding', 0),
    dilation: pairAttr(a, 'dilation', 1),
    groups,
    bias: 'bias' in ctx.inputs,
  });
  return withModule(ctx, m, () => runImage(ctx, m, (x) => m.forward(x)));
};

const maxPool2dOp: OpHandler = (ctx) => {
  const a = ctx.attrs;
  const opts = {
    kernelSize: a['kernel_size'] as PairAttr,
    stride: (a['stride'] ?? null) as PairAttr | null,
    padding: pairAttr(a, 'padding', 0),
    dilation: pairAttr(a, 'dilation', 1),
    ceilMode: (a['ceil_mode'] as boolean) ?? false,
  };
  let indices: tf.Tensor | null = null;
  const out = runImage(ctx, null, (x) => {
    const r = maxPool2dWithIndices(x, opts);
    indices = tf.keep(convertIndices(r.indices, nhwcToNchw));
    r.indices.dispose();
    return r.output;
  });
  return { ...out, indices: indices! };
};

const avgPool2dOp: OpHandler = (ctx) => {
  const a = ctx.attrs;
  return runImage(ctx, null, (x) =>
    avgPool2d(x, {
      kernelSize: a['kernel_size'] as PairAttr,
      stride: (a['stride'] ?? null) as PairAttr | null,
      padding: pairAttr(a, 'padding', 0),
      ceilMode: (a['ceil_mode'] as boolean) ?? false,
      countIncludePad: (a['count_include_pad'] as boolean) ?? true,
    }),
  );
};

const adaptiveAvgPool2dOp: OpHandler = (ctx) =>
  runImage(ctx, null, (x) => adaptiveAvgPool2d(x, ctx.attrs['output_size'] as AdaptiveSize));

const maxUnpool2dOp: OpHandler = (ctx) => {
  const a = ctx.attrs;
  const idx = convertIndices(ctx.inputs['indices']!, nchwToNhwc);
  try {
    return runImage(ctx, null, (x) =>
      maxUnpool2d(x, idx, {
        kernelSize: a['kernel_size'] as PairAttr,
        stride: (a['stride'] ?? null) as PairAttr | null,
        padding: pairAttr(a, 'padding', 0),
        outputSize: (a['output_size'] ?? null) as [number, number] | null,
      }),
    );
  } finally {
    idx.dispose();
  }
};

const batchNormOp: OpHandler = (ctx) => {
  const { x } = ctx.inputs;
  const a = ctx.attrs;
  const c = x!.shape[1]!;
  const opts = { momentum: (a['momentum'] as number) ?? 0.1, eps: (a['eps'] as number) ?? 1e-5 };
  const image = x!.rank > 2;
  const m = image ? new BatchNorm2d(c, opts) : new BatchNorm1d(c, opts);
  m.train((a['training'] as boolean) ?? false);
  // the case has no num_batches_tracked: load the rest
  return withModule(
    ctx,
    m,
    () => {
      const out = runImage(ctx, m, (xi) => m.forward(xi), image);
      return { ...out, running_mean_out: m.runningMean!.clone(), running_var_out: m.runningVar!.clone() };
    },
    false,
  );
};

const layerNormOp: OpHandler = (ctx) => {
  const a = ctx.attrs;
  const m = new LayerNorm(a['normalized_shape'] as number[], { eps: (a['eps'] as number) ?? 1e-5, elementwiseAffine: (a['elementwise_affine'] as boolean) ?? true });
  return withModule(ctx, m, () => runImage(ctx, m, (x) => m.forward(x), false));
};

const instanceNormOp: OpHandler = (ctx) => {
  const a = ctx.attrs;
  const m = new InstanceNorm2d(ctx.inputs['x']!.shape[1]!, { eps: (a['eps'] as number) ?? 1e-5, affine: (a['affine'] as boolean) ?? false });
  return withModule(ctx, m, () => runImage(ctx, m, (x) => m.forward(x)));
};

const groupNormOp: OpHandler = (ctx) => {
  const a = ctx.attrs;
  const m = new GroupNorm(a['num_groups'] as number, ctx.inputs['x']!.shape[1]!, { eps: (a['eps'] as number) ?? 1e-5 });
  return withModule(ctx, m, () => runImage(ctx, m, (x) => m.forward(x)));
};

const interpolateOp: OpHandler = (ctx) => {
  const a = ctx.attrs;
  return runImage(ctx, null, (x) =>
    interpolate(x, {
      mode: a['mode'] as InterpolateMode,
      size: (a['size'] ?? null) as PairAttr | null,
      scaleFactor: (a['scale_factor'] ?? null) as PairAttr | null,
      alignCorners: (a['align_corners'] ?? null) as boolean | null,
    }),
  );
};

const bedOfNailsOp: OpHandler = (ctx) => runImage(ctx, null, (x) => bedOfNailsUnpool(x, (ctx.attrs['scale'] as number) ?? 2));

const pixelShuffleOp: OpHandler = (ctx) => runImage(ctx, null, (x) => pixelShuffle(x, ctx.attrs['upscale_factor'] as number));

const resnetBasicBlockOp: OpHandler = (ctx) => {
  const { x } = ctx.inputs;
  const a = ctx.attrs;
  const planes = ctx.inputs['conv1.weight']!.shape[0]!;
  const m = new BasicBlock(x!.shape[1]!, planes, { stride: a['stride'] as number, downsample: a['downsample'] as boolean }).eval();
  try {
    // torchvision's case omits num_batches_tracked; everything else must be there
    const { missingKeys } = m.loadStateDict(stateDict(ctx.inputs, ['x']), { strict: false });
    const bad = missingKeys.filter((k) => !k.endsWith('num_batches_tracked'));
    if (bad.length) throw new Error(`runner: the case lacks state-dict keys ${bad.join(', ')}`);
    return runImage(ctx, m, (xi) => m.forward(xi));
  } finally {
    m.dispose();
  }
};

const convOutputSizeOp: OpHandler = ({ attrs: a }) => ({
  size: tf.scalar(
    convOutputSize(a['input'] as number, a['kernel'] as number, {
      stride: a['stride'] as number,
      padding: a['padding'] as number,
      dilation: a['dilation'] as number,
    }),
    'int32',
  ),
});

const receptiveFieldOp: OpHandler = ({ attrs: a }) => ({
  size: tf.scalar(receptiveField(a['kernels'] as number[], a['strides'] as number[]), 'int32'),
});

export const layersOps: Record<string, OpHandler> = {
  'layers.linear': linearOp,
  'layers.conv2d': conv2dOp,
  'layers.conv_transpose2d': convTranspose2dOp,
  'layers.max_pool2d': maxPool2dOp,
  'layers.avg_pool2d': avgPool2dOp,
  'layers.adaptive_avg_pool2d': adaptiveAvgPool2dOp,
  'layers.max_unpool2d': maxUnpool2dOp,
  'layers.batch_norm': batchNormOp,
  'layers.layer_norm': layerNormOp,
  'layers.instance_norm': instanceNormOp,
  'layers.group_norm': groupNormOp,
  'layers.interpolate': interpolateOp,
  'layers.bed_of_nails_unpool': bedOfNailsOp,
  'layers.pixel_shuffle': pixelShuffleOp,
  'layers.resnet_basic_block': resnetBasicBlockOp,
  'layers.conv_output_size': convOutputSizeOp,
  'layers.receptive_field': receptiveFieldOp,
};
