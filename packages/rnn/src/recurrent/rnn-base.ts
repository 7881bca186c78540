import type * as tf from '@tensorflow/tfjs-core';
import { Module, checkNumber, uniform, type Generator, type Parameter } from '@fovea/core';
import { GATES, allParamNames, runStack, type StackResult } from '../_internal/stack.js';
import type { RNNNonlinearity } from '../_internal/rnn-seq.js';

/** Options of the {@link RNN}, {@link LSTM} and {@link GRU} modules (PyTorch's constructor arguments). @category Recurrent */
export interface RecurrentModuleOptions {
  /** Stacked layers; layer l > 0 reads layer l−1's output sequence. Default 1. */
  numLayers?: number;
  /** Whether the layers have `bias_ih` / `bias_hh`. Default `true`. */
  bias?: boolean;
  /** Input and output are `[B, T, ·]` (`true`, the default here, unlike PyTorch's `False`) or `[T, B, ·]`. */
  batchFirst?: boolean;
  /** Dropout on every layer's output except the last, in training mode. Default 0. */
  dropout?: number;
  /** A second, reversed direction per layer (outputs concatenated, `[…, 2H]`). Default `false`. */
  bidirectional?: boolean;
  /** Random source for the initial weights and dropout (default: core's default generator). */
  generator?: Generator;
}

/**
 * The shared base of {@link RNN}, {@link LSTM} and {@link GRU} (PyTorch's
 * `nn.RNNBase`): registers `weight_ih_l{k}[_reverse]`, `weight_hh_l{k}[_reverse]`,
 * `bias_ih_l{k}[_reverse]`, `bias_hh_l{k}[_reverse]` in PyTorch's layouts
 * and order, each initialised `U(−1/√H, 1/√H)` as PyTorch does, so
 * `loadStateDict` takes an `nn.LSTM`'s `state_dict()` unchanged.
 *
 * @example
 * ```ts
 * import { LSTM } from '@fovea/rnn';
 * const m = new LSTM(8, 16, { numLayers: 2 });
 * Object.keys(m.stateDict()).slice(0, 4); // ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
 * m.dispose();
 * ```
 * @category Recurrent
 */
export abstract class RNNBase<In extends unknown[], Out> extends Module<In, Out> {
  /** Features per input step (I). */
  readonly inputSize: number;
  /** Features of the hidden state (H). */
  readonly hiddenSize: number;
  /** Stacked layers (L). */
  readonly numLayers: number;
  /** Whether the layers have biases. */
  readonly bias: boolean;
  /** Whether input and output are batch-first. */
  readonly batchFirst: boolean;
  /** Inter-layer dropout probability. */
  readonly dropout: number;
  /** Whether each layer has a reverse direction. */
  readonly bidirectional: boolean;
  /** The random source of dropout (`undefined`: core's default). */
  protected readonly generator: Generator | undefined;
  private readonly kind: 'rnn' | 'lstm' | 'gru';

  protected constructor(op: string, kind: 'rnn' | 'lstm' | 'gru', inputSize: number, hiddenSize: number, opts: RecurrentModuleOptions) {
    super();
    this.kind = kind;
    this.inputSize = checkNumber(op, 'inputSize', inputSize, { integer: true, min: 1 });
    this.hiddenSize = checkNumber(op, 'hiddenSize', hiddenSize, { integer: true, min: 1 });
    this.numLayers = checkNumber(op, 'options.numLayers', opts.numLayers ?? 1, { integer: true, min: 1 });
    this.dropout = checkNumber(op, 'options.dropout', opts.dropout ?? 0, { min: 0, max: 1 });
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? true;
    this.bidirectional = opts.bidirectional ?? false;
    this.generator = opts.generator;
    const G = GATES[kind], H = this.hiddenSize, k = 1 / Math.sqrt(H);
    const dirs = this.bidirectional ? 2 : 1;
    const rnd = (shape: number[]): tf.Tensor => uniform(shape, -k, k, opts.generator ? { generator: opts.generator } : {});
    for (const name of allParamNames(this.numLayers, this.bidirectional, this.bias)) {
      const layer = Number(/_l(\d+)/.exec(name)![1]);
      const shape = name.startsWith('weight_ih') ? [G * H, layer === 0 ? this.inputSize : H * dirs]
        : name.startsWith('weight_hh') ? [G * H, H] : [G * H];
      this.registerParameter(name, rnd(shape));
    }
  }

  /** The parameters by PyTorch name, as the functional ops take them. @internal */
  protected params(): Record<string, Parameter> {
    return Object.fromEntries(this.namedParameters({ recurse: false }));
  }

  /** Runs the stack with this module's weights and options. @internal */
  protected run(x: tf.Tensor, h0: tf.Tensor | null | undefined, c0: tf.Tensor | null | undefined, op: string, nonlinearity?: RNNNonlinearity): StackResult {
    return runStack(op, this.kind, x, this.params(), h0, c0, {
      numLayers: this.numLayers,
      bidirectional: this.bidirectional,
      batchFirst: this.batchFirst,
      dropout: this.dropout,
      training: this.training,
      ...(this.generator ? { generator: this.generator } : {}),
      ...(nonlinearity ? { nonlinearity } : {}),
    });
  }
}
