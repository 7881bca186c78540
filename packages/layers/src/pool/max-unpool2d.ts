import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape } from '@fovea/core';
import { checkImage, pair, type Pair } from '../_internal/args.js';

/** Options for {@link maxUnpool2d}. @category Pooling */
export interface MaxUnpool2dOptions {
  /** The pooling's window size, `int or [kH, kW]`. */
  kernelSize: Pair;
  /** The pooling's stride; default (or `null`) = `kernelSize`. */
  stride?: Pair | null;
  /** The pooling's padding; default 0. */
  padding?: Pair;
  /** The size `[H, W]` of the map that was pooled; default `(h-1)·s - 2p + k` (give it when that differs). */
  outputSize?: readonly [number, number] | null;
}

function resolveSize(op: string, h: number, w: number, opts: MaxUnpool2dOptions): [number, number] {
  const k = pair(op, 'options.kernelSize', opts.kernelSize, { integer: true, min: 1 });
  const s = opts.stride == null ? k : pair(op, 'options.stride', opts.stride, { integer: true, min: 1 });
  const p = pair(op, 'options.padding', opts.padding ?? 0, { integer: true, min: 0 });
  const def: [number, number] = [(h - 1) * s[0] - 2 * p[0] + k[0], (w - 1) * s[1] - 2 * p[1] + k[1]];
  if (opts.outputSize == null) return def;
  const size = pair(op, 'options.outputSize', opts.outputSize, { integer: true, min: 0 });
  for (let i = 0; i < 2; i++) {
    if (Math.abs(size[i]! - def[i]!) >= s[i]!) {
      throw new FoveaError({ op, arg: 'options.outputSize', expected: `within a stride of the default size ${formatShape(def)}`, got: formatShape(size) });
    }
  }
  return size;
}

/**
 * Max unpooling, PyTorch's `F.max_unpool2d` on channels-last maps: a zero map
 * of the pooled input's size with each pooled value written back at its
 * index, `y.plane[indices] = x`. Differentiable in `x` (the gradient gathers
 * at the indices).
 *
 * @param x `[N, h, w, C]` pooled values.
 * @param indices int32 `[N, h, w, C]`: flat `h·W + w` per `(n, c)` plane, as {@link maxPool2dWithIndices} returns. Indices outside the plane are ignored.
 * @param opts kernelSize, stride, padding of the pooling, and outputSize.
 * @returns `[N, H, W, C]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { maxPool2dWithIndices, maxUnpool2d } from '@fovea/layers';
 * const x = tf.tensor4d([1, 5, 3, 4], [1, 2, 2, 1]);
 * const { output, indices } = maxPool2dWithIndices(x, { kernelSize: 2 });
 * maxUnpool2d(output, indices, { kernelSize: 2 }).dataSync(); // [0, 5, 0, 0]
 * ```
 * @category Pooling
 */
export function maxUnpool2d(x: tf.Tensor, indices: tf.Tensor, opts: MaxUnpool2dOptions): tf.Tensor4D {
  const op = 'maxUnpool2d';
  const [n, h, w, c] = checkImage(op, 'x', x);
  checkTensor(op, 'indices', indices, { shape: [n, h, w, c], dtype: 'int32' });
  const [oh, ow] = resolveSize(op, h, w, opts);
  const plane = oh * ow;
  const total = n * plane * c;
  if (x.size === 0 || total === 0) return tf.zeros([n, oh, ow, c]);
  return tf.tidy(() => {
    const valid = tf.logicalAnd(tf.greaterEqual(indices, 0), tf.less(indices, plane));
    const batch = tf.reshape(tf.range(0, n * plane * c, plane * c, 'int32'), [n, 1, 1, 1]);
    const chan = tf.reshape(tf.range(0, c, 1, 'int32'), [1, 1, 1, c]);
    const flat = tf.add(tf.add(batch, tf.mul(tf.where(valid, indices, tf.zerosLike(indices)), tf.scalar(c, 'int32'))), chan); // [N, h, w, C] into [N, oh, ow, C]
    const pos = tf.reshape(flat, [-1, 1]); // [M, 1]
    const mask = tf.cast(valid, 'float32');
    const scatter = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [v, p, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      save([p]);
      const value = tf.reshape(tf.scatterND(p, tf.reshape(v, [-1]), [total]), [n, oh, ow, c]);
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.reshape(tf.gather(tf.reshape(dy, [-1]), tf.reshape(saved[0]!, [-1])), [n, h, w, c]),
        tf.zerosLike(saved[0]!),
      ];
      return { value, gradFunc };
    });
    return scatter(tf.mul(x, mask), pos) as tf.Tensor4D;
  });
}

/**
 * A max-unpooling layer (PyTorch's `nn.MaxUnpool2d`); no parameters. See {@link maxUnpool2d}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MaxPool2d, MaxUnpool2d } from '@fovea/layers';
 * const { output, indices } = new MaxPool2d(2).forwardWithIndices(tf.randomNormal([1, 4, 4, 2]));
 * new MaxUnpool2d(2).forward(output, indices).shape; // [1, 4, 4, 2]
 * ```
 * @category Pooling
 */
export class MaxUnpool2d extends Module<[tf.Tensor, tf.Tensor, (readonly [number, number] | null)?], tf.Tensor4D> {
  /** The options the layer was built with. */
  readonly options: Omit<MaxUnpool2dOptions, 'outputSize'>;

  /**
   * @param kernelSize the pooling's window.
   * @param opts the pooling's stride and padding.
   */
  constructor(kernelSize: Pair, opts: Omit<MaxUnpool2dOptions, 'kernelSize' | 'outputSize'> = {}) {
    super();
    this.options = { ...opts, kernelSize };
    resolveSize('MaxUnpool2d', 2, 2, this.options);
  }

  /** `x [N, h, w, C]`, `indices` → `[N, H, W, C]`; `outputSize` as {@link MaxUnpool2dOptions}. */
  forward(x: tf.Tensor, indices: tf.Tensor, outputSize: readonly [number, number] | null = null): tf.Tensor4D {
    return maxUnpool2d(x, indices, { ...this.options, outputSize });
  }
}
