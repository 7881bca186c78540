import * as tf from '@tensorflow/tfjs-core';
import { Module, ModuleList, Parameter, checkNumber, checkTensor, defaultGenerator, randn, type Generator, type Sequential } from '@fovea/core';
import { checkBatchOf, checkSize, checkSizes } from '../_internal/args.js';
import { mlp } from '../_internal/mlp.js';

/**
 * One affine coupling layer of RealNVP (Dinh et al., 2017): with a fixed
 * binary mask `b`, `y = b⊙x + (1−b)⊙(x⊙exp(s) + t)` where `s, t` come from a
 * network of `b⊙x` (`s = scale ⊙ tanh(·)` for stability), so the Jacobian is
 * triangular and `log|det J| = Σ (1−b)⊙s`. Parameters: `net.*` (the MLP to
 * `2D` outputs) and `scale` `[D]`; buffer `mask` `[D]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { AffineCoupling } from '@fovea/generative';
 * const layer = new AffineCoupling(tf.tensor1d([1, 0, 1, 0]), [64]);
 * const { y, logDet } = layer.forward(tf.randomNormal([8, 4])); // y [8, 4], logDet [8]
 * layer.inverse(y).shape; // [8, 4]: x again
 * ```
 * @category Flows
 */
export class AffineCoupling extends Module<[tf.Tensor], { y: tf.Tensor; logDet: tf.Tensor }> {
  /** `D`. */
  readonly dim: number;
  /** `[D]` 1 = passed through (conditions the others), 0 = transformed. */
  readonly mask: Parameter;
  /** `[N, D]` → `[N, 2D]` (log-scale then shift). */
  readonly net: Sequential;
  /** `[D]` learned output scale of `tanh` for the log-scale, initialised to 0 (the layer starts as the identity). */
  readonly scale: Parameter;

  /**
   * @param mask float32 `[D]` of 0 and 1 (copied).
   * @param hidden hidden widths of the coupling network.
   * @param opts generator.
   */
  constructor(mask: tf.Tensor, hidden: readonly number[], opts: { generator?: Generator } = {}) {
    super();
    const op = 'AffineCoupling';
    checkTensor(op, 'mask', mask, { rank: 1, dtype: 'float32' });
    const d = (this.dim = checkSize(op, 'mask (D)', mask.shape[0]));
    const h = checkSizes(op, 'hidden', hidden);
    this.mask = this.registerBuffer('mask', tf.clone(mask));
    this.net = this.registerModule('net', mlp([d, ...h, 2 * d], opts.generator));
    this.scale = this.registerParameter('scale', tf.zeros([d]));
  }

  private st(xm: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const [raw, t] = tf.split(this.net.forward(xm), 2, 1) as [tf.Tensor, tf.Tensor]; // [N, D] each
    const inv = tf.sub(1, this.mask);
    return [tf.mul(tf.mul(tf.tanh(raw), this.scale), inv), tf.mul(t, inv)]; // zero on the passed-through dims
  }

  /** `x [N, D]` → `y [N, D]` and `log|det ∂y/∂x|` `[N]`. */
  forward(x: tf.Tensor): { y: tf.Tensor; logDet: tf.Tensor } {
    checkBatchOf('AffineCoupling.forward', 'x', x, [this.dim]);
    return tf.tidy(() => {
      const [s, t] = this.st(tf.mul(x, this.mask));
      return { y: tf.add(tf.mul(x, tf.exp(s)), t), logDet: tf.sum(s, 1) };
    });
  }

  /** `y [N, D]` → `x [N, D]` (exact inverse). */
  inverse(y: tf.Tensor): tf.Tensor {
    checkBatchOf('AffineCoupling.inverse', 'y', y, [this.dim]);
    return tf.tidy(() => {
      const [s, t] = this.st(tf.mul(y, this.mask));
      return tf.mul(tf.sub(y, t), tf.exp(tf.neg(s)));
    });
  }
}

/** Options for {@link RealNVP}. @category Flows */
export interface RealNVPOptions {
  /** Dimensions `D` (≥ 2). */
  dim: number;
  /** Coupling layers, alternating even/odd masks; default 6. */
  numCouplings?: number;
  /** Hidden widths of each coupling network; default `[256, 256]`. */
  hidden?: readonly number[];
  /** Random source for the initial weights and samples (default: core's default generator). */
  generator?: Generator;
}

/**
 * RealNVP (Dinh et al., 2017): an invertible flow `z = f(x)` of
 * {@link AffineCoupling} layers with alternating masks (even, odd dimensions),
 * a standard normal base density and the exact log-likelihood
 * `log p(x) = log N(f(x); 0, I) + log|det ∂f/∂x|` — a tractable-density model
 * of the course's taxonomy. Sampling inverts the flow: `x = f⁻¹(z)`.
 * For images, dequantize and move to logit space first and add that
 * transform's log-determinant (see the README).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { RealNVP } from '@fovea/generative';
 * const flow = new RealNVP({ dim: 2, numCouplings: 4, hidden: [64, 64] });
 * const x = tf.randomNormal([16, 2]);
 * tf.neg(tf.mean(flow.logProb(x))).print(); // the negative log-likelihood to minimise
 * flow.sample(100).shape;                 // [100, 2]
 * ```
 * @category Flows
 */
export class RealNVP extends Module<[tf.Tensor], { z: tf.Tensor; logDet: tf.Tensor }> {
  /** `D`. */
  readonly dim: number;
  /** The coupling layers, data side first. */
  readonly couplings: ModuleList<AffineCoupling>;
  private readonly gen: Generator | undefined;

  constructor(opts: RealNVPOptions) {
    super();
    const op = 'RealNVP';
    this.dim = checkSize(op, 'options.dim', opts?.dim, 2);
    const n = checkSize(op, 'options.numCouplings', opts.numCouplings ?? 6);
    const hidden = checkSizes(op, 'options.hidden', opts.hidden ?? [256, 256]);
    this.gen = opts.generator;
    const layers: AffineCoupling[] = [];
    for (let i = 0; i < n; i++) {
      const mask = tf.tensor1d(Array.from({ length: this.dim }, (_, j) => ((j + i) % 2 === 0 ? 1 : 0)));
      layers.push(new AffineCoupling(mask, hidden, opts.generator ? { generator: opts.generator } : {}));
      mask.dispose();
    }
    this.couplings = this.registerModule('couplings', new ModuleList(layers));
  }

  /** Data `x [N, D]` → latent `z [N, D]` and `log|det ∂z/∂x|` `[N]`. */
  forward(x: tf.Tensor): { z: tf.Tensor; logDet: tf.Tensor } {
    const n = checkBatchOf('RealNVP.forward', 'x', x, [this.dim]);
    return tf.tidy(() => {
      let z = x;
      let logDet: tf.Tensor = tf.zeros([n]);
      for (const layer of this.couplings.children() as AffineCoupling[]) {
        const r = layer.forward(z);
        z = r.y;
        logDet = tf.add(logDet, r.logDet);
      }
      return { z, logDet };
    });
  }

  /** Latent `z [N, D]` → data `x [N, D]` (exact inverse of {@link RealNVP.forward}). */
  inverse(z: tf.Tensor): tf.Tensor {
    checkBatchOf('RealNVP.inverse', 'z', z, [this.dim]);
    return tf.tidy(() => {
      let x = z;
      for (const layer of [...this.couplings.children()].reverse() as AffineCoupling[]) x = layer.inverse(x);
      return x;
    });
  }

  /** Exact `log p(x)` per item, `[N]` nats. */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { z, logDet } = this.forward(x);
      const logBase = tf.mul(tf.add(tf.sum(tf.square(z), 1), this.dim * Math.log(2 * Math.PI)), -0.5); // log N(z; 0, I)
      return tf.add(logBase, logDet);
    });
  }

  /** `n` samples `[n, D]`: `f⁻¹(z)`, `z ~ N(0, t²I)`. */
  sample(n: number, opts: { temperature?: number; generator?: Generator } = {}): tf.Tensor {
    const op = 'RealNVP.sample';
    checkSize(op, 'n', n, 0);
    const t = checkNumber(op, 'options.temperature', opts.temperature ?? 1, { gt: 0 });
    return tf.tidy(() => this.inverse(randn([n, this.dim], { generator: opts.generator ?? this.gen ?? defaultGenerator(), std: t })));
  }
}
