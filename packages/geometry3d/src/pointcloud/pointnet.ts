import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, ModuleList, checkNumber, checkTensor, formatShape, relu, type Generator } from '@fovea/core';
import { BatchNorm1d, Dropout, Linear } from '@fovea/layers';

/** Options for {@link PointNet}. @category Point clouds */
export interface PointNetOptions {
  /** Coordinates per point `D`; default 3. */
  inputDim?: number;
  /** Widths of the shared per-point MLP; default `[64, 64, 64, 128, 1024]` (the paper's). */
  mlp?: readonly number[];
  /** Widths of the classifier head's hidden layers; default `[512, 256]`. */
  head?: readonly number[];
  /** Dropout before the last layer; default 0.3 (the paper's keep ratio 0.7). */
  dropout?: number;
  /**
   * Learn a `D×D` input alignment with a T-Net (the paper's input transform): `true` (default) for the
   * paper's T-Net (shared MLP 64, 128, 1024; head 512, 256), an object to size it, or `false` for none.
   */
  inputTransform?: boolean | { mlp?: readonly number[]; head?: readonly number[] };
  /** Random source for initialisation and dropout (default: core's default generator). */
  generator?: Generator;
}

/** Linear → BatchNorm1d → ReLU over the last axis of `[B, P, C]` or `[B, C]`. */
class FcBnRelu extends Module<[tf.Tensor], tf.Tensor> {
  readonly fc: Linear;
  readonly bn: BatchNorm1d;
  constructor(inF: number, outF: number, g?: Generator) {
    super();
    this.fc = this.registerModule('fc', new Linear(inF, outF, g ? { generator: g } : {}));
    this.bn = this.registerModule('bn', new BatchNorm1d(outF));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => relu(this.bn.forward(this.fc.forward(x))));
  }
}

/** A shared MLP, max-pooled over the points: `[B, P, D]` → `[B, C]`. */
class PointFeatures extends Module<[tf.Tensor], tf.Tensor> {
  readonly layers: ModuleList;
  constructor(widths: readonly number[], g?: Generator) {
    super();
    const mods = widths.slice(1).map((w, i) => new FcBnRelu(widths[i]!, w, g));
    this.layers = this.registerModule('layers', new ModuleList(mods));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = x; // [B, P, C_in]
      for (const m of this.layers) h = (m as FcBnRelu).forward(h); // [B, P, C]
      return tf.max(h, 1); // [B, C], symmetric in the points
    });
  }
}

/**
 * PointNet's T-Net: predicts a `D×D` transform from the cloud itself,
 * initialised to the identity (zero last layer plus `I`).
 */
class TNet extends Module<[tf.Tensor], tf.Tensor> {
  readonly features: PointFeatures;
  readonly fc1: FcBnRelu;
  readonly fc2: FcBnRelu;
  readonly out: Linear;
  readonly dim: number;
  constructor(dim: number, mlp: readonly number[], head: readonly [number, number], g?: Generator) {
    super();
    this.dim = dim;
    this.features = this.registerModule('features', new PointFeatures([dim, ...mlp], g));
    this.fc1 = this.registerModule('fc1', new FcBnRelu(mlp[mlp.length - 1]!, head[0], g));
    this.fc2 = this.registerModule('fc2', new FcBnRelu(head[0], head[1], g));
    this.out = this.registerModule('out', new Linear(head[1], dim * dim, g ? { generator: g } : {}));
    tf.tidy(() => {
      this.out.weight.assign(tf.zerosLike(this.out.weight));
      this.out.bias?.assign(tf.zerosLike(this.out.bias));
    });
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const B = x.shape[0]!;
      const t = this.out.forward(this.fc2.forward(this.fc1.forward(this.features.forward(x)))); // [B, D·D]
      return tf.add(tf.reshape(t, [B, this.dim, this.dim]), tf.eye(this.dim)); // [B, D, D]
    });
  }
}

/**
 * The PointNet classifier (Qi et al., CVPR 2017): an optional T-Net aligns
 * the input, a shared per-point MLP (Linear + BatchNorm + ReLU, i.e. 1×1
 * convolutions) lifts every point to `C` features, a max over the points
 * gives an order-invariant global feature, and an MLP head with dropout
 * predicts class logits. Train with `crossEntropy` on the logits; call
 * `eval()` for inference (batch statistics and dropout off).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PointNet } from '@fovea/geometry3d';
 * const net = new PointNet(5, { mlp: [64, 128, 256], head: [128] });
 * net.forward(tf.randomNormal([8, 512, 3])).shape; // [8, 5]
 * ```
 * @category Point clouds
 */
export class PointNet extends Module<[tf.Tensor], tf.Tensor> {
  /** The T-Net: `[B, P, D]` → `[B, D, D]` alignment matrices (null without an input transform). */
  readonly inputTransform: Module<[tf.Tensor], tf.Tensor> | null;
  /** The shared per-point MLP and max pool: `[B, P, D]` → `[B, C]`. */
  readonly features: Module<[tf.Tensor], tf.Tensor>;
  readonly head: ModuleList;
  readonly drop: Dropout;
  readonly classifier: Linear;
  readonly numClasses: number;
  readonly inputDim: number;

  /**
   * @param numClasses `K`.
   * @param opts inputDim, mlp, head, dropout, inputTransform, generator.
   */
  constructor(numClasses: number, opts: PointNetOptions = {}) {
    super();
    const op = 'PointNet';
    this.numClasses = checkNumber(op, 'numClasses', numClasses, { integer: true, min: 1 });
    this.inputDim = checkNumber(op, 'options.inputDim', opts.inputDim ?? 3, { integer: true, min: 1 });
    const mlp = opts.mlp ?? [64, 64, 64, 128, 1024];
    const head = opts.head ?? [512, 256];
    mlp.forEach((w, i) => checkNumber(op, `options.mlp[${i}]`, w, { integer: true, min: 1 }));
    head.forEach((w, i) => checkNumber(op, `options.head[${i}]`, w, { integer: true, min: 1 }));
    if (mlp.length === 0) throw new FoveaError({ op, arg: 'options.mlp', expected: 'at least one width', got: '[]' });
    const g = opts.generator;
    const t = opts.inputTransform ?? true;
    const tMlp = (typeof t === 'object' && t.mlp) || [64, 128, 1024];
    const tHead = (typeof t === 'object' && t.head) || [512, 256];
    if (t && (tMlp.length === 0 || tHead.length !== 2)) {
      throw new FoveaError({ op, arg: 'options.inputTransform', expected: 'a non-empty mlp and a head of two widths', got: JSON.stringify(t) });
    }
    this.inputTransform = this.registerModule('input_transform', t ? new TNet(this.inputDim, tMlp, [tHead[0]!, tHead[1]!], g) : null);
    this.features = this.registerModule('features', new PointFeatures([this.inputDim, ...mlp], g));
    const widths = [mlp[mlp.length - 1]!, ...head];
    this.head = this.registerModule('head', new ModuleList(head.map((w, i) => new FcBnRelu(widths[i]!, w, g))));
    this.drop = this.registerModule('drop', new Dropout(checkNumber(op, 'options.dropout', opts.dropout ?? 0.3, { min: 0, max: 1 }), g ? { generator: g } : {}));
    this.classifier = this.registerModule('classifier', new Linear(widths[widths.length - 1]!, numClasses, g ? { generator: g } : {}));
  }

  /** The global feature of each cloud: `[B, P, D]` → `[B, C]` (C = last `mlp` width). */
  globalFeatures(points: tf.Tensor): tf.Tensor {
    checkTensor('PointNet.forward', 'points', points, { rank: 3, dtype: 'float32' });
    if (points.shape[2] !== this.inputDim) {
      throw new FoveaError({ op: 'PointNet.forward', arg: 'points', expected: `shape [B, P, ${this.inputDim}]`, got: `shape ${formatShape(points.shape)}` });
    }
    return tf.tidy(() => {
      const x = this.inputTransform ? tf.matMul(points, this.inputTransform.forward(points)) : points; // [B, P, D]
      return this.features.forward(x);
    });
  }

  /** `points [B, P, D]` → class logits `[B, K]`. */
  forward(points: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = this.globalFeatures(points); // [B, C]
      for (const m of this.head) h = (m as FcBnRelu).forward(h);
      return this.classifier.forward(this.drop.forward(h)); // [B, K]
    });
  }
}
