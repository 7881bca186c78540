import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape, uniform, type Generator, type Parameter } from '@fovea/core';

/**
 * The weights of one recurrent cell in PyTorch's layout (`nn.LSTMCell`'s
 * `weight_ih` etc.): `weightIh` `[G·H, I]`, `weightHh` `[G·H, H]`, optional
 * `biasIh`, `biasHh` `[G·H]` (both or neither); G is 1 (RNN), 4 (LSTM) or 3 (GRU).
 *
 * @category Cells
 */
export interface CellWeights {
  /** `[G·H, I]` input-to-hidden weight. */
  weightIh: tf.Tensor;
  /** `[G·H, H]` hidden-to-hidden weight. */
  weightHh: tf.Tensor;
  /** `[G·H]` or absent. */
  biasIh?: tf.Tensor | null;
  /** `[G·H]` or absent. */
  biasHh?: tf.Tensor | null;
}

/** Options of the cell Modules. @category Cells */
export interface CellModuleOptions {
  /** Whether the cell has `bias_ih` / `bias_hh`. Default `true`. */
  bias?: boolean;
  /** Random source of the initial weights (default: core's default generator). */
  generator?: Generator;
}

/** Validated sizes of a cell call; `squeeze` when the input was unbatched `[I]`. */
export interface CellPlan {
  H: number;
  squeeze: boolean;
}

/** Checks a cell's input, weights and one state tensor per name. */
export function checkCell(op: string, G: number, x: tf.Tensor, w: CellWeights, states: Record<string, tf.Tensor | null | undefined>): CellPlan {
  checkTensor(op, 'x', x, { rank: [1, 2], dtype: 'float32' });
  if (typeof w !== 'object' || w === null) throw new FoveaError({ op, arg: 'weights', expected: 'an object { weightIh, weightHh, biasIh?, biasHh? }', got: String(w) });
  checkTensor(op, 'weights.weightHh', w.weightHh, { rank: 2, dtype: 'float32' });
  const H = w.weightHh.shape[1]!;
  if (w.weightHh.shape[0] !== G * H) throw new FoveaError({ op, arg: 'weights.weightHh', expected: `shape [${G}·H, H]`, got: `shape ${formatShape(w.weightHh.shape)}` });
  checkTensor(op, 'weights.weightIh', w.weightIh, { rank: 2, dtype: 'float32' });
  const I = x.shape[x.rank - 1]!;
  if (w.weightIh.shape[0] !== G * H) throw new FoveaError({ op, arg: 'weights.weightIh', expected: `shape [${G * H}, I]`, got: `shape ${formatShape(w.weightIh.shape)}` });
  if (w.weightIh.shape[1] !== I) throw new FoveaError({ op, arg: 'x', expected: `[B, ${w.weightIh.shape[1]}] (weightIh is ${formatShape(w.weightIh.shape)})`, got: `shape ${formatShape(x.shape)}` });
  if ((w.biasIh == null) !== (w.biasHh == null)) throw new FoveaError({ op, arg: 'weights.biasHh', expected: 'given together with biasIh', got: w.biasIh == null ? 'biasHh without biasIh' : 'biasIh without biasHh' });
  if (w.biasIh != null) {
    checkTensor(op, 'weights.biasIh', w.biasIh, { shape: [G * H], dtype: 'float32' });
    checkTensor(op, 'weights.biasHh', w.biasHh, { shape: [G * H], dtype: 'float32' });
  }
  const shape = x.rank === 1 ? [H] : [x.shape[0]!, H];
  for (const [name, s] of Object.entries(states)) if (s != null) checkTensor(op, name, s, { shape, dtype: 'float32' });
  return { H, squeeze: x.rank === 1 };
}

/** `x W_ihᵀ + b_ih` and `h W_hhᵀ + b_hh`, each `[B, G·H]`. */
export function cellProjections(x: tf.Tensor, h: tf.Tensor, w: CellWeights): [tf.Tensor, tf.Tensor] {
  let gi = tf.matMul(x, w.weightIh, false, true);
  let gh = tf.matMul(h, w.weightHh, false, true);
  if (w.biasIh != null) gi = tf.add(gi, w.biasIh);
  if (w.biasHh != null) gh = tf.add(gh, w.biasHh!);
  return [gi, gh];
}

/** `[B, ·]` view of a possibly unbatched tensor. */
export function batched(t: tf.Tensor, squeeze: boolean): tf.Tensor {
  return squeeze ? tf.expandDims(t, 0) : t;
}

/** Undoes {@link batched}. */
export function unbatched(t: tf.Tensor, squeeze: boolean): tf.Tensor {
  return squeeze ? tf.squeeze(t, [0]) : t;
}

/**
 * Shared base of the cell Modules ({@link RNNCell}, {@link LSTMCell},
 * {@link GRUCell}): `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` registered
 * with PyTorch's names, layouts and init `U(±1/√H)`.
 *
 * @example
 * ```ts
 * import { GRUCell } from '@fovea/rnn';
 * const cell = new GRUCell(3, 5);
 * cell.weights().weightIh.shape; // [15, 3]
 * ```
 * @category Cells
 */
export abstract class CellBase<In extends unknown[], Out> extends Module<In, Out> {
  /** Features per input (I). */
  readonly inputSize: number;
  /** Features of the hidden state (H). */
  readonly hiddenSize: number;
  /** `[G·H, I]`. */
  readonly weight_ih: Parameter;
  /** `[G·H, H]`. */
  readonly weight_hh: Parameter;
  /** `[G·H]` or null. */
  readonly bias_ih: Parameter | null;
  /** `[G·H]` or null. */
  readonly bias_hh: Parameter | null;

  protected constructor(gates: number, inputSize: number, hiddenSize: number, opts: CellModuleOptions) {
    super();
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    const k = 1 / Math.sqrt(hiddenSize);
    const g = opts.generator ? { generator: opts.generator } : {};
    this.weight_ih = this.registerParameter('weight_ih', uniform([gates * hiddenSize, inputSize], -k, k, g));
    this.weight_hh = this.registerParameter('weight_hh', uniform([gates * hiddenSize, hiddenSize], -k, k, g));
    const bias = opts.bias ?? true;
    this.bias_ih = bias ? this.registerParameter('bias_ih', uniform([gates * hiddenSize], -k, k, g)) : this.registerParameter('bias_ih', null);
    this.bias_hh = bias ? this.registerParameter('bias_hh', uniform([gates * hiddenSize], -k, k, g)) : this.registerParameter('bias_hh', null);
  }

  /** The weights as the functional cells take them. */
  weights(): CellWeights {
    return { weightIh: this.weight_ih, weightHh: this.weight_hh, biasIh: this.bias_ih, biasHh: this.bias_hh };
  }
}
