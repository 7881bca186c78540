import { backend_util, broadcast_util, util } from '@tensorflow/tfjs-core';
import type { DataType, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { biasActivation, kernelContext } from './fused_util.js';
import { callKernel } from './registry.js';

/**
 * Empty inputs, the PyTorch/numpy way, on every backend.
 *
 * tfjs 4.22 gets tensors with a zero-sized dimension wrong in three ways:
 * tfjs-backend-webgpu throws (`createBuffer` of size 0) or records an
 * invalid bind group whenever a kernel reads an empty input to write a
 * non-empty output; tfjs-backend-wasm skips the computation and returns
 * uninitialised heap memory (its Sum/Max/... kernels only run
 * `if (size !== 0)`), or fails inside XNNPACK (matmul with `k = 0`);
 * tfjs-backend-cpu returns 0 for the mean and `false` for `all` of nothing.
 * The guard below answers those cases before the backend's kernel runs:
 *
 * | kernel | empty input gives |
 * |---|---|
 * | Sum / Prod | 0 / 1 |
 * | Mean | NaN (PyTorch, numpy) |
 * | Max / Min | NaN for float32, 0 for int32 (what tfjs-cpu computes; PyTorch raises) |
 * | All / Any | true / false |
 * | ArgMax / ArgMin | 0 (tfjs-cpu; PyTorch raises) |
 * | BatchMatMul, convolutions and their backprops (`k = 0`, batch 0, `Cin = 0`) | zeros; the fused ops add the bias and apply the activation |
 * | UnsortedSegmentSum, ScatterNd, Bincount, DenseBincount | zeros |
 * | TensorScatterUpdate with no updates | the tensor |
 * | Einsum with an empty operand | zeros (or an empty output) |
 * | GatherV2 with an empty result | an empty tensor of the right shape |
 * | TopK (empty input or k = 0), Softmax, pooling/resize gradients | empty (or zero) outputs of the right shape |
 *
 * Non-empty inputs go to the wrapped kernel untouched.
 */

type Rule = (args: { inputs: NamedTensorInfoMap; backend: object; attrs: NamedAttrMap }, backendName: string) => TensorInfo | TensorInfo[] | null;

const isEmpty = (t: TensorInfo | undefined): boolean => t !== undefined && util.sizeFromShape(t.shape) === 0;

/** A new tensor of `shape` filled with `value`, made by the backend's own Fill kernel (empty shapes included). */
function full(backendName: string, backend: object, shape: number[], dtype: DataType, value: number): TensorInfo {
  return callKernel('Fill', backendName, backend, {}, { shape, value, dtype } as unknown as NamedAttrMap);
}

function reduceShape(x: TensorInfo, axis: number | number[] | null | undefined, keepDims: boolean): number[] {
  const axes = util.parseAxisParam(axis ?? null as unknown as number[], x.shape);
  const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  return keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
}

type ReduceKind = 'Sum' | 'Prod' | 'Mean' | 'Max' | 'Min' | 'All' | 'Any';

function reduceRule(kind: ReduceKind): Rule {
  return ({ inputs, backend, attrs }, bn) => {
    const x = inputs['x']!;
    if (!isEmpty(x)) return null;
    const axis = (kind === 'Max' ? attrs['reductionIndices'] : attrs['axis']) as number | number[] | null | undefined;
    const shape = reduceShape(x, axis, !!attrs['keepDims']);
    switch (kind) {
      case 'Sum': case 'Prod': {
        const dtype = x.dtype === 'float32' ? 'float32' : 'int32';
        return full(bn, backend, shape, dtype, kind === 'Sum' ? 0 : 1);
      }
      case 'Mean': return full(bn, backend, shape, 'float32', NaN);
      case 'Max': case 'Min': return full(bn, backend, shape, x.dtype, x.dtype === 'float32' ? NaN : 0);
      case 'All': return full(bn, backend, shape, 'bool', 1);
      case 'Any': return full(bn, backend, shape, 'bool', 0);
    }
  };
}

const argReduceRule: Rule = ({ inputs, backend, attrs }, bn) => {
  const x = inputs['x']!;
  if (!isEmpty(x)) return null;
  return full(bn, backend, reduceShape(x, attrs['axis'] as number, false), 'int32', 0);
};

/** Zeros of `shape`, then the fused bias and activation when the kernel is a fused one. */
function zerosThenBias(args: Parameters<Rule>[0], bn: string, shape: number[], dtype: DataType): TensorInfo {
  const y = full(bn, args.backend, shape, dtype, 0);
  if (!('activation' in args.attrs) && args.inputs['bias'] === undefined) return y;
  const { bias, preluActivationWeights } = args.inputs;
  return biasActivation(kernelContext(bn, args.backend), y, bias, preluActivationWeights, args.attrs);
}

const matMulRule: Rule = (args, bn) => {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  if (!isEmpty(a) && !isEmpty(b)) return null;
  const ra = a.shape.length, rb = b.shape.length;
  const m = args.attrs['transposeA'] ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const n = args.attrs['transposeB'] ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return zerosThenBias(args, bn, [...outer, m, n], a.dtype);
};

type Shape4 = [number, number, number, number];
type Shape5 = [number, number, number, number, number];

/** Forward convolutions: zeros (then bias/activation) when x or the filter is empty. */
function convRule(kind: '2d' | 'depthwise' | '3d'): Rule {
  return (args, bn) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    if (!isEmpty(x) && !isEmpty(filter)) return null;
    const a = args.attrs as unknown as { strides: number | number[]; dilations?: number | number[]; pad: never; dimRoundingMode?: 'floor' | 'round' | 'ceil'; dataFormat?: string };
    let outShape: number[];
    if (kind === '3d') {
      const fmt = a.dataFormat === 'NCDHW' ? 'channelsFirst' : 'channelsLast';
      outShape = backend_util.computeConv3DInfo(x.shape as Shape5, filter.shape as Shape5, a.strides as never, (a.dilations ?? 1) as never, a.pad, false, fmt).outShape;
    } else {
      const fmt = a.dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast';
      outShape = backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, a.strides as never, (a.dilations ?? 1) as never, a.pad, a.dimRoundingMode, kind === 'depthwise', fmt).outShape;
    }
    return zerosThenBias(args, bn, outShape.slice(), x.dtype);
  };
}

/** Convolution backprops: zeros of the known input/filter shape when either operand is empty. */
function backpropRule(operands: [string, string], shapeAttr: 'inputShape' | 'filterShape'): Rule {
  return ({ inputs, backend, attrs }, bn) => {
    const p = inputs[operands[0]]!, q = inputs[operands[1]]!;
    if (!isEmpty(p) && !isEmpty(q)) return null;
    return full(bn, backend, (attrs[shapeAttr] as number[]).slice(), 'float32', 0);
  };
}

/** Gradients whose output has the shape of a saved input (pooling, resizing): zeros when anything is empty. */
function likeInputRule(names: string[], like: string): Rule {
  return ({ inputs, backend }, bn) => {
    if (!names.some((n) => isEmpty(inputs[n]))) return null;
    const t = inputs[like]!;
    return full(bn, backend, t.shape.slice(), 'float32', 0);
  };
}

const segmentSumRule: Rule = ({ inputs, backend, attrs }, bn) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  if (!isEmpty(x)) return null;
  return full(bn, backend, [attrs['numSegments'] as number, ...x.shape.slice(segmentIds.shape.length)], x.dtype, 0);
};

const scatterNdRule: Rule = ({ inputs, backend, attrs }, bn) => {
  const updates = inputs['updates']!;
  if (!isEmpty(updates)) return null;
  return full(bn, backend, (attrs['shape'] as number[]).slice(), updates.dtype, 0);
};

const tensorScatterUpdateRule: Rule = ({ inputs, backend }, bn) => {
  const { tensor, updates } = inputs as { tensor: TensorInfo; updates: TensorInfo };
  if (isEmpty(tensor)) return full(bn, backend, tensor.shape.slice(), tensor.dtype, 0);
  if (!isEmpty(updates)) return null;
  return callKernel('Identity', bn, backend, { x: tensor });
};

function bincountRule(dense: boolean): Rule {
  return ({ inputs, backend, attrs }, bn) => {
    const { x, weights } = inputs as { x: TensorInfo; weights: TensorInfo };
    if (!isEmpty(x)) return null;
    const size = attrs['size'] as number;
    const shape = dense && x.shape.length === 2 ? [x.shape[0]!, size] : [size];
    return full(bn, backend, shape, weights.dtype, 0);
  };
}

const topKRule: Rule = ({ inputs, backend, attrs }, bn) => {
  const x = inputs['x']!;
  const k = attrs['k'] as number;
  if (!isEmpty(x) && k !== 0) return null;
  const shape = [...x.shape.slice(0, -1), k];
  return [full(bn, backend, shape, x.dtype, 0), full(bn, backend, shape, 'int32', 0)];
};

const softmaxRule: Rule = ({ inputs, backend }, bn) => {
  const logits = inputs['logits']!;
  return isEmpty(logits) ? full(bn, backend, logits.shape.slice(), logits.dtype, 0) : null;
};

/** GatherV2 whose result is empty (tfjs-backend-wasm returns `[1, 1, 0, 3]` for an empty `[0, 3]` gathered by no indices). */
const gatherRule: Rule = ({ inputs, backend, attrs }, bn) => {
  const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
  if (!isEmpty(x) && !isEmpty(indices)) return null;
  const axis = util.parseAxisParam(attrs['axis'] as number, x.shape)[0]!;
  const info = backend_util.segment_util.collectGatherOpShapeInfo(x as never, indices as never, axis, (attrs['batchDims'] as number | undefined) ?? 0);
  if (util.sizeFromShape(info.outputShape) !== 0) return null;
  return full(bn, backend, info.outputShape.slice(), x.dtype, 0);
};

/** Einsum with an empty operand: every output element sums over nothing (or the output is empty itself). */
const einsumRule: Rule = ({ inputs, backend, attrs }, bn) => {
  const tensors = Object.values(inputs);
  if (!tensors.some(isEmpty)) return null;
  const { allDims, summedDims, idDims } = backend_util.decodeEinsumEquation(attrs['equation'] as string, tensors.length);
  const shape: number[] = [];
  for (let d = 0; d < allDims.length - summedDims.length; d++) {
    const i = idDims.findIndex((ids) => ids.includes(d));
    shape.push(tensors[i]!.shape[idDims[i]!.indexOf(d)]!);
  }
  return full(bn, backend, shape, tensors[0]!.dtype, 0);
};

const RULES: Record<string, Rule> = {
  Sum: reduceRule('Sum'),
  Prod: reduceRule('Prod'),
  Mean: reduceRule('Mean'),
  Max: reduceRule('Max'),
  Min: reduceRule('Min'),
  All: reduceRule('All'),
  Any: reduceRule('Any'),
  ArgMax: argReduceRule,
  ArgMin: argReduceRule,
  BatchMatMul: matMulRule,
  _FusedMatMul: matMulRule,
  Conv2D: convRule('2d'),
  FusedConv2D: convRule('2d'),
  DepthwiseConv2dNative: convRule('depthwise'),
  FusedDepthwiseConv2D: convRule('depthwise'),
  Conv3D: convRule('3d'),
  Conv2DBackpropInput: backpropRule(['dy', 'filter'], 'inputShape'),
  Conv2DBackpropFilter: backpropRule(['x', 'dy'], 'filterShape'),
  DepthwiseConv2dNativeBackpropInput: backpropRule(['dy', 'filter'], 'inputShape'),
  DepthwiseConv2dNativeBackpropFilter: backpropRule(['x', 'dy'], 'filterShape'),
  Conv3DBackpropInputV2: backpropRule(['dy', 'filter'], 'inputShape'),
  Conv3DBackpropFilterV2: backpropRule(['x', 'dy'], 'filterShape'),
  MaxPoolGrad: likeInputRule(['dy', 'input'], 'input'),
  AvgPoolGrad: likeInputRule(['dy', 'input'], 'input'),
  MaxPool3DGrad: likeInputRule(['dy', 'input'], 'input'),
  AvgPool3DGrad: likeInputRule(['dy', 'input'], 'input'),
  ResizeBilinearGrad: likeInputRule(['dy', 'images'], 'images'),
  ResizeNearestNeighborGrad: likeInputRule(['dy', 'images'], 'images'),
  UnsortedSegmentSum: segmentSumRule,
  ScatterNd: scatterNdRule,
  TensorScatterUpdate: tensorScatterUpdateRule,
  Bincount: bincountRule(false),
  DenseBincount: bincountRule(true),
  TopK: topKRule,
  Softmax: softmaxRule,
  Einsum: einsumRule,
  GatherV2: gatherRule,
};

/** The kernels {@link withEmptyGuard} knows how to answer for empty inputs. */
export const EMPTY_GUARDED_KERNELS: readonly string[] = Object.keys(RULES);

/**
 * Wraps `inner` (the kernel `kernelName` of `backendName`) so that empty
 * inputs get the answers in the table above; `inner` as is when the kernel
 * has no rule.
 */
export function withEmptyGuard(kernelName: string, backendName: string, inner: KernelFunc | undefined): KernelFunc | undefined {
  const rule = RULES[kernelName];
  if (rule === undefined || inner === undefined) return inner;
  return (args) => {
    const r = rule({ inputs: args.inputs, backend: args.backend, attrs: args.attrs ?? {} }, backendName);
    return r ?? inner(args);
  };
}
