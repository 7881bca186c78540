import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkTensor, describeValue } from '@fovea/core';

/** Something that applies gradients by variable name: a tfjs `Optimizer`, or any `@fovea/optim` optimizer. @category Training */
export interface GradientApplier {
  /** Updates each variable named in `grads` (it must not dispose them). */
  applyGradients(grads: tf.NamedTensorMap): void;
}

/** What a {@link GradientClip} may return: new gradients and, optionally, the norm before clipping. @category Training */
export interface ClippedGradients {
  /** The clipped gradients by variable name. */
  grads: tf.NamedTensorMap;
  /** `[]` the total norm before clipping, if computed. */
  totalNorm?: tf.Scalar;
}

/** What {@link TruncatedBPTTOptions.forward} returns for one window. @category Training */
export interface WindowResult<S extends tf.Tensor[]> {
  /** `[]` the window's loss. */
  loss: tf.Scalar;
  /** The state after the window's last step. */
  state: S;
}

/**
 * A gradient transform run before each update, e.g. `(g) => clipGradNorm(g, 1)`
 * from `@fovea/optim`. It returns new gradients (the loop disposes them and
 * the returned `totalNorm`, after recording it); it must not dispose its input.
 *
 * @category Training
 */
export type GradientClip = (grads: tf.NamedTensorMap) => ClippedGradients | tf.NamedTensorMap;

/** What one truncation window reports to {@link TruncatedBPTTOptions.onWindow}. @category Training */
export interface WindowLog {
  /** Window index, from 0. */
  window: number;
  /** First time step of the window. */
  start: number;
  /** Steps in the window (k, or fewer for the last). */
  length: number;
  /** The window's loss. */
  loss: number;
  /** The gradient norm before clipping, when `clip` reports one. */
  gradNorm: number | null;
}

/** Options of {@link truncatedBPTT}. @category Training */
export interface TruncatedBPTTOptions<S extends tf.Tensor[]> {
  /** `[B, T, ...]` the whole input sequence, batch-first. */
  inputs: tf.Tensor;
  /** `[B, T, ...]` the targets, aligned with `inputs` on the time axis. */
  targets: tf.Tensor;
  /** The recurrent state at t = 0 (e.g. `[h0, c0]`); not disposed. */
  initialState: S;
  /**
   * Runs the model on one window — `x` `[B, k, ...]`, `y` `[B, k, ...]` —
   * from `state` and returns the window's scalar loss and the state after its
   * last step. Called inside `tf.variableGrads`.
   */
  forward: (x: tf.Tensor, y: tf.Tensor, state: S) => WindowResult<S>;
  /** Steps per window: gradients flow back at most `k` steps (the state is carried forward detached). */
  k: number;
  /** The trainable variables (e.g. `module.trainableParameters()`). */
  variables: tf.Variable[];
  /** Applies the (clipped) gradients after every window. */
  optimizer: GradientApplier;
  /** Optional clipping in the loop, e.g. `(g) => clipGradNorm(g, 1)` from `@fovea/optim`. */
  clip?: GradientClip;
  /** Called after each window's update. */
  onWindow?: (log: WindowLog) => void | Promise<void>;
}

/** What {@link truncatedBPTT} returns. @category Training */
export interface TruncatedBPTTResult<S extends tf.Tensor[]> {
  /** The loss of every window, in order. */
  losses: number[];
  /** The pre-clipping gradient norm of every window (null without a norm-reporting `clip`). */
  gradNorms: (number | null)[];
  /** The state after the last step, detached (the caller disposes it). */
  state: S;
}

/**
 * Truncated backpropagation through time over one long sequence: the
 * sequence is cut into windows of `k` steps; each window runs `forward` from
 * the state the previous window ended in (carried forward, but **detached**:
 * no gradient flows into an earlier window), backpropagates through its `k`
 * steps, optionally clips the gradients, and updates the variables — as
 * PyTorch code does with `h = h.detach()` between chunks.
 *
 * @param opts the sequence, the initial state, the per-window forward, `k`, variables, optimizer, clipping.
 * @returns the per-window losses and gradient norms, and the final state.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LSTM, truncatedBPTT } from '@fovea/rnn';
 * import { Linear } from '@fovea/layers';
 * import { Adam, clipGradNorm } from '@fovea/optim';
 * const lstm = new LSTM(1, 16), head = new Linear(16, 1);
 * const variables = [...lstm.trainableParameters(), ...head.trainableParameters()];
 * const x = tf.randomNormal([4, 100, 1]), y = tf.cumsum(x, 1);
 * const { losses, state } = await truncatedBPTT({
 *   inputs: x, targets: y, k: 20, variables,
 *   initialState: [tf.zeros([1, 4, 16]), tf.zeros([1, 4, 16])],
 *   optimizer: new Adam(variables, { lr: 1e-2 }),
 *   clip: (g) => clipGradNorm(g, 1),
 *   forward: (xw, yw, [h, c]) => {
 *     const r = lstm.forward(xw, [h, c]);
 *     return { loss: tf.losses.meanSquaredError(yw, head.forward(r.output)), state: [r.hN, r.cN] };
 *   },
 * });
 * losses.length; // 5 windows
 * tf.dispose(state);
 * ```
 * @category Training
 */
export async function truncatedBPTT<S extends tf.Tensor[]>(opts: TruncatedBPTTOptions<S>): Promise<TruncatedBPTTResult<S>> {
  const op = 'truncatedBPTT';
  checkTensor(op, 'options.inputs', opts.inputs, { minRank: 2 });
  const [B, T] = opts.inputs.shape as [number, number];
  checkTensor(op, 'options.targets', opts.targets, { minRank: 2 });
  if (opts.targets.shape[0] !== B || opts.targets.shape[1] !== T) {
    throw new FoveaError({ op, arg: 'options.targets', expected: `[${B}, ${T}, ...] (the inputs' batch and time sizes)`, got: `shape [${opts.targets.shape.join(', ')}]` });
  }
  const k = checkNumber(op, 'options.k', opts.k, { integer: true, min: 1 });
  if (typeof opts.forward !== 'function') throw new FoveaError({ op, arg: 'options.forward', expected: 'a function', got: describeValue(opts.forward) });
  if (!Array.isArray(opts.variables) || opts.variables.length === 0) {
    throw new FoveaError({ op, arg: 'options.variables', expected: 'a non-empty array of tf.Variable', got: describeValue(opts.variables) });
  }
  if (typeof opts.optimizer?.applyGradients !== 'function') {
    throw new FoveaError({ op, arg: 'options.optimizer', expected: 'an object with applyGradients(grads)', got: describeValue(opts.optimizer) });
  }
  const losses: number[] = [];
  const gradNorms: (number | null)[] = [];
  let state = opts.initialState.map((s) => tf.clone(s)) as S;
  for (let start = 0, window = 0; start < T; start += k, window++) {
    const len = Math.min(k, T - start);
    const [xw, yw] = [opts.inputs, opts.targets].map((t) => tf.slice(t, [0, start], [B, len]));
    let next: S | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const r = opts.forward(xw!, yw!, state);
      next = r.state.map((s) => tf.keep(s)) as S; // kept out of variableGrads' scope, then detached below
      return r.loss;
    }, opts.variables);
    tf.dispose([xw!, yw!, ...state]);
    state = next!;
    let applied: tf.NamedTensorMap = grads;
    let norm: tf.Scalar | undefined;
    if (opts.clip) {
      const c = opts.clip(grads);
      applied = 'grads' in c && typeof c['grads'] === 'object' && !(c['grads'] instanceof tf.Tensor) ? (c as { grads: tf.NamedTensorMap }).grads : (c as tf.NamedTensorMap);
      norm = (c as { totalNorm?: tf.Scalar }).totalNorm;
    }
    opts.optimizer.applyGradients(applied);
    const loss = (await value.data())[0]!;
    const gradNorm = norm ? (await norm.data())[0]! : null;
    tf.dispose([value, norm ?? [], ...Object.values(grads), ...(applied !== grads ? Object.values(applied) : [])]);
    losses.push(loss);
    gradNorms.push(gradNorm);
    await opts.onWindow?.({ window, start, length: len, loss, gradNorm });
  }
  return { losses, gradNorms, state };
}
