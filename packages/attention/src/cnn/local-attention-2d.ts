import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape, randn, type Generator, type Parameter } from '@fovea/core';
import { Conv2d } from '@fovea/layers';
import { checkDivisible, checkSize, genOpt } from '../_internal/args.js';

/** Options of {@link LocalAttention2d}. @category Attention in CNNs */
export interface LocalAttention2dOptions {
  /** Neighbourhood size `k` (odd), like a convolution's kernel; default 7. */
  kernelSize?: number;
  /** Step between query positions, like a convolution's stride; default 1. */
  stride?: number;
  /** Attention heads `nh` (the output channels are split into `nh` groups); default 1. */
  heads?: number;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/** Concatenates many tensors in chunks (tfjs-webgpu binds a limited number of buffers per shader). */
function concatMany(parts: tf.Tensor[], axis: number): tf.Tensor {
  let list = parts;
  while (list.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < list.length; i += 6) {
      const chunk = list.slice(i, i + 6);
      next.push(chunk.length === 1 ? chunk[0]! : tf.concat(chunk, axis));
    }
    list = next;
  }
  return list[0]!;
}

/**
 * `t[:, dy :: s, dx :: s, :]` cut to `[B, ho, wo, C]`, with slices and
 * reshapes only (tfjs has no StridedSlice gradient); zero-extends `t` at the
 * bottom/right when the last window needs it (those rows are never picked).
 */
function strided(t: tf.Tensor, dy: number, dx: number, ho: number, wo: number, s: number): tf.Tensor {
  const [b, h, w, c] = t.shape as [number, number, number, number];
  if (s === 1) return tf.slice(t, [0, dy, dx, 0], [b, ho, wo, c]);
  const eh = Math.max(0, dy + ho * s - h);
  const ew = Math.max(0, dx + wo * s - w);
  const ext = eh + ew > 0 ? tf.pad(t, [[0, 0], [0, eh], [0, ew], [0, 0]]) : t;
  const region = tf.slice(ext, [0, dy, dx, 0], [b, ho * s, wo * s, c]); // [B, ho·s, wo·s, C]
  const rows = tf.slice(tf.reshape(region, [b, ho, s, wo * s * c]), [0, 0, 0, 0], [b, ho, 1, wo * s * c]); // every s-th row
  return tf.slice(tf.reshape(rows, [b, ho, wo, s * c]), [0, 0, 0, 0], [b, ho, wo, c]); // every s-th column: [B, ho, wo, C]
}

/** `[1, Ho·Wo, 1, k²]`: 0 where the neighbour lies inside the image, −∞ where it falls in the padding. */
function borderMask(h: number, w: number, ho: number, wo: number, k: number, s: number): tf.Tensor4D {
  const p = Math.floor(k / 2);
  const data = new Float32Array(ho * wo * k * k);
  for (let i = 0; i < ho; i++)
    for (let j = 0; j < wo; j++)
      for (let dy = 0; dy < k; dy++)
        for (let dx = 0; dx < k; dx++) {
          const y = i * s + dy - p;
          const x = j * s + dx - p;
          if (y < 0 || y >= h || x < 0 || x >= w) data[((i * wo + j) * k + dy) * k + dx] = -Infinity;
        }
  return tf.tensor4d(data, [1, ho * wo, 1, k * k]);
}

/**
 * Local self-attention that replaces a convolution (the stand-alone
 * self-attention layer of Ramachandran et al. 2019): each output position
 * attends over the `k×k` neighbourhood of its input position instead of
 * applying a fixed filter. `q = W_Q x_ij`, and for each neighbour `ab`,
 * `logit = q · (W_K x_ab + r_{a-i, b-j})` with learned relative position
 * embeddings `r` (half the channels encode the row offset, half the column
 * offset), softmax over the neighbourhood, `y_ij = Σ_ab softmax · W_V x_ab`,
 * per head. Neighbours outside the image are masked out (not zero-padded).
 * Same output size as `Conv2d(Cin, Cout, k, {stride, padding: k // 2})`.
 * Parameters `query_conv`, `key_conv`, `value_conv` (1×1, no bias), `rel_h`
 * and `rel_w` `[k, Cout/2]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LocalAttention2d } from '@fovea/attention';
 * // a drop-in for Conv2d(16, 32, 3, { padding: 1 })
 * const layer = new LocalAttention2d(16, 32, { kernelSize: 3, heads: 4 });
 * layer.forward(tf.randomNormal([2, 14, 14, 16])).shape; // [2, 14, 14, 32]
 * ```
 * @category Attention in CNNs
 */
export class LocalAttention2d extends Module<[tf.Tensor], tf.Tensor4D> {
  /** `Cin`. */
  readonly inChannels: number;
  /** `Cout`. */
  readonly outChannels: number;
  /** `k`, the neighbourhood side. */
  readonly kernelSize: number;
  /** The step between query positions. */
  readonly stride: number;
  /** `nh`, the number of heads. */
  readonly heads: number;
  /** The 1×1 query projection (`query_conv`, no bias). */
  readonly queryConv: Conv2d;
  /** The 1×1 key projection (`key_conv`, no bias). */
  readonly keyConv: Conv2d;
  /** The 1×1 value projection (`value_conv`, no bias). */
  readonly valueConv: Conv2d;
  /** `[k, Cout/2]` row-offset embeddings. */
  readonly relH: Parameter;
  /** `[k, Cout/2]` column-offset embeddings. */
  readonly relW: Parameter;

  /**
   * @param inChannels `Cin`.
   * @param outChannels `Cout`, even and divisible by `heads`.
   * @param opts kernelSize, stride, heads, generator.
   */
  constructor(inChannels: number, outChannels: number, opts: LocalAttention2dOptions = {}) {
    super();
    const op = 'LocalAttention2d';
    this.inChannels = checkSize(op, 'inChannels', inChannels);
    this.outChannels = checkSize(op, 'outChannels', outChannels);
    this.kernelSize = checkSize(op, 'options.kernelSize', opts.kernelSize ?? 7);
    if (this.kernelSize % 2 !== 1) throw new FoveaError({ op, arg: 'options.kernelSize', expected: 'an odd size', got: String(this.kernelSize) });
    this.stride = checkSize(op, 'options.stride', opts.stride ?? 1);
    this.heads = checkSize(op, 'options.heads', opts.heads ?? 1);
    checkDivisible(op, 'outChannels', outChannels, 2, 'two (row and column embeddings)');
    checkDivisible(op, 'outChannels', outChannels, this.heads, 'heads');
    const gen = genOpt(opts.generator);
    const conv = () => new Conv2d(inChannels, outChannels, 1, { bias: false, ...gen });
    this.queryConv = this.registerModule('query_conv', conv());
    this.keyConv = this.registerModule('key_conv', conv());
    this.valueConv = this.registerModule('value_conv', conv());
    this.relH = this.registerParameter('rel_h', randn([this.kernelSize, outChannels / 2], gen));
    this.relW = this.registerParameter('rel_w', randn([this.kernelSize, outChannels / 2], gen));
  }

  /** `[1, nh, k², hs]`: the relative embedding of each neighbour offset, split into heads. */
  private relative(): tf.Tensor {
    const k = this.kernelSize;
    const half = this.outChannels / 2;
    const hs = this.outChannels / this.heads;
    const rows = tf.tile(tf.reshape(this.relH, [k, 1, half]), [1, k, 1]); // [k(dy), k(dx), Cout/2]
    const cols = tf.tile(tf.reshape(this.relW, [1, k, half]), [k, 1, 1]); // [k(dy), k(dx), Cout/2]
    const rel = tf.reshape(tf.concat([rows, cols], 2), [k * k, this.heads, hs]); // [k², nh, hs]
    return tf.expandDims(tf.transpose(rel, [1, 0, 2]), 0); // [1, nh, k², hs]
  }

  /** `x [B, H, W, Cin]` → `[B, Ho, Wo, Cout]` (`Ho = ⌈H / stride⌉`). */
  forward(x: tf.Tensor): tf.Tensor4D {
    const op = 'LocalAttention2d.forward';
    checkTensor(op, 'x', x, { rank: 4, dtype: 'float32' });
    const [b, h, w, cin] = x.shape as [number, number, number, number];
    if (cin !== this.inChannels) throw new FoveaError({ op, arg: 'x', expected: `[B, H, W, ${this.inChannels}]`, got: `shape ${formatShape(x.shape)}` });
    const { kernelSize: k, stride: s, heads: nh, outChannels: co } = this;
    const p = Math.floor(k / 2);
    const ho = Math.floor((h - 1) / s) + 1;
    const wo = Math.floor((w - 1) / s) + 1;
    const hs = co / nh;
    const n = b * ho * wo;
    return tf.tidy(() => {
      const q = tf.reshape(strided(this.queryConv.forward(x), 0, 0, ho, wo, s), [n, nh, 1, hs]); // [N, nh, 1, hs]: the query at each output position
      const pad = (t: tf.Tensor) => tf.pad(t, [[0, 0], [p, p], [p, p], [0, 0]]); // [B, H + 2p, W + 2p, Cout]
      const kp = pad(this.keyConv.forward(x));
      const vp = pad(this.valueConv.forward(x));
      const keys: tf.Tensor[] = [];
      const values: tf.Tensor[] = [];
      for (let dy = 0; dy < k; dy++)
        for (let dx = 0; dx < k; dx++) {
          keys.push(tf.reshape(strided(kp, dy, dx, ho, wo, s), [n, nh, 1, hs])); // [N, nh, 1, hs]
          values.push(tf.reshape(strided(vp, dy, dx, ho, wo, s), [n, nh, 1, hs]));
        }
      const kAll = tf.add(concatMany(keys, 2), this.relative()); // [N, nh, k², hs]
      const logits = tf.reshape(tf.sum(tf.mul(q, kAll), 3), [b, ho * wo, nh, k * k]); // [B, Ho·Wo, nh, k²]
      const a = tf.softmax(tf.add(logits, borderMask(h, w, ho, wo, k, s))); // over the neighbourhood
      const out = tf.sum(tf.mul(tf.reshape(a, [n, nh, k * k, 1]), concatMany(values, 2)), 2); // [N, nh, hs]
      return tf.reshape(out, [b, ho, wo, co]) as tf.Tensor4D; // [B, Ho, Wo, Cout]
    });
  }
}
