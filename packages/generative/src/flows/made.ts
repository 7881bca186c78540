import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ReLU, Sequential, checkNumber, defaultGenerator, type Generator } from '@fovea/core';
import { checkBatchOf, checkSize, checkSizes, genOpt } from '../_internal/args.js';
import { sampleCategorical } from '../_internal/categorical.js';
import { oneHot } from '../_internal/one-hot.js';
import { bitsPerDim } from '../autoregressive/bits-per-dim.js';
import { MaskedLinear } from './masked-linear.js';

/** Options for {@link MADE}. @category Flows */
export interface MADEOptions {
  /** Dimensions `D` of one item. */
  inputDim: number;
  /** Hidden widths; default `[500]`. */
  hidden?: readonly number[];
  /** Values per dimension `K` (2 = binary); default 2. */
  levels?: number;
  /** The autoregressive order, a permutation of `0 … D−1`; default the natural order. */
  order?: readonly number[];
  /** Random source for the hidden units' degrees and the initial weights (default: core's default generator). */
  generator?: Generator;
}

/** Options of {@link MADE.sample}. @category Flows */
export interface MADESampleOptions {
  /** Softmax temperature; default 1. */
  temperature?: number;
  /** Random source (default: core's default generator). */
  generator?: Generator;
}

/**
 * MADE, the masked autoencoder for distribution estimation (Germain et al.,
 * 2015): a fully connected network whose weights are masked so that output
 * `d` only sees the inputs before `d` in the chosen order — one forward pass
 * gives every conditional `p(x_d | x_<d)` as `K` logits, so `log p(x)` is
 * exact and tractable (a tractable-density model of the course's taxonomy).
 * Hidden units get degrees `m ∈ [min m_prev, D−1]` drawn from the generator;
 * the masks are persistent buffers (`net.0.mask`, …) so a state dict carries them.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MADE } from '@fovea/generative';
 * const made = new MADE({ inputDim: 784, hidden: [500] });
 * const x = tf.cast(tf.greater(tf.randomUniform([8, 784]), 0.5), 'float32');
 * made.forward(x).shape;   // [8, 784, 2] logits of p(x_d | x_<d)
 * made.logProb(x).shape;   // [8] exact log-likelihoods, nats
 * ```
 * @category Flows
 */
export class MADE extends Module<[tf.Tensor], tf.Tensor> {
  /** `D`. */
  readonly inputDim: number;
  /** `K`. */
  readonly levels: number;
  /** The order: `order[t]` is the `t`-th dimension generated. */
  readonly order: readonly number[];
  /** MaskedLinear → ReLU → … → MaskedLinear to `D·K` logits. */
  readonly net: Sequential;

  constructor(opts: MADEOptions) {
    super();
    const op = 'MADE';
    const d = (this.inputDim = checkSize(op, 'options.inputDim', opts?.inputDim));
    const hidden = checkSizes(op, 'options.hidden', opts.hidden ?? [500]);
    this.levels = checkSize(op, 'options.levels', opts.levels ?? 2, 2);
    this.order = checkOrder(op, opts.order, d);
    const gen = opts.generator ?? defaultGenerator();
    // degrees: input dim order[t] has degree t + 1; output logits of that dim need degree > hidden degree
    const inDeg = new Int32Array(d);
    this.order.forEach((dim, t) => (inDeg[dim] = t + 1));
    const layers: Module[] = [];
    let prev = inDeg;
    for (const width of hidden) {
      const lo = Math.min(...prev, d - 1);
      const deg = Int32Array.from({ length: width }, () => (d > 1 ? gen.randint(Math.max(1, lo), d) : 1)); // in [lo, D−1]
      layers.push(this.masked(prev, deg, (a, b) => b >= a, gen), new ReLU());
      prev = deg;
    }
    const outDeg = Int32Array.from({ length: d * this.levels }, (_, i) => inDeg[Math.floor(i / this.levels)]!);
    layers.push(this.masked(prev, outDeg, (a, b) => b > a, gen));
    this.net = this.registerModule('net', new Sequential(...layers));
  }

  private masked(inDeg: Int32Array, outDeg: Int32Array, connect: (a: number, b: number) => boolean, gen: Generator): MaskedLinear {
    const m = new Float32Array(inDeg.length * outDeg.length);
    for (let i = 0; i < inDeg.length; i++) for (let o = 0; o < outDeg.length; o++) m[i * outDeg.length + o] = connect(inDeg[i]!, outDeg[o]!) ? 1 : 0;
    const mask = tf.tensor2d(m, [inDeg.length, outDeg.length]);
    try {
      return new MaskedLinear(inDeg.length, outDeg.length, mask, genOpt(gen));
    } finally {
      mask.dispose();
    }
  }

  /** `x [N, D]` (float32, integer values in `[0, K)`) → logits `[N, D, K]` of `p(x_d | x_<d)`. */
  forward(x: tf.Tensor): tf.Tensor {
    const n = checkBatchOf('MADE.forward', 'x', x, [this.inputDim]);
    return tf.tidy(() => tf.reshape(this.net.forward(tf.div(x, this.levels - 1)), [n, this.inputDim, this.levels])); // [N, D, K]
  }

  /** Exact `log p(x)` per item, `[N]` nats. */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.neg(bitsPerDim(this.forward(x), tf.cast(x, 'int32'), { reduction: 'none' }).nll));
  }

  /** `n` exact samples `[n, D]` (one forward pass per dimension, in `order`). */
  async sample(n: number, opts: MADESampleOptions = {}): Promise<tf.Tensor> {
    const op = 'MADE.sample';
    checkSize(op, 'n', n, 0);
    const t = checkNumber(op, 'options.temperature', opts.temperature ?? 1, { gt: 0 });
    const gen = opts.generator ?? defaultGenerator();
    let x = tf.zeros([n, this.inputDim]);
    for (let s = 0; s < this.order.length && n > 0; s++) {
      const dim = this.order[s]!;
      const next = tf.tidy(() => {
        const logits = tf.reshape(tf.slice(this.forward(x), [0, dim, 0], [n, 1, this.levels]), [n, this.levels]); // [n, K]
        const v = tf.cast(tf.reshape(sampleCategorical(logits, t, gen), [n, 1]), 'float32'); // [n, 1]
        const at = oneHot(tf.tensor1d([dim], 'int32'), this.inputDim); // [1, D]
        return tf.add(x, tf.mul(at, tf.sub(v, x)));
      });
      x.dispose();
      x = next;
      if (s % 16 === 15) await tf.nextFrame();
    }
    return x;
  }
}

function checkOrder(op: string, order: readonly number[] | undefined, d: number): number[] {
  if (order === undefined) return Array.from({ length: d }, (_, i) => i);
  const seen = new Set<number>();
  if (!Array.isArray(order) || order.length !== d || order.some((v) => !Number.isInteger(v) || v < 0 || v >= d || seen.has(v) || !seen.add(v))) {
    throw new FoveaError({ op, arg: 'options.order', expected: `a permutation of 0 … ${d - 1}`, got: Array.isArray(order) ? `[${order.slice(0, 6).join(', ')}${order.length > 6 ? ', …' : ''}] (${order.length} entries)` : String(order) });
  }
  return [...order];
}
