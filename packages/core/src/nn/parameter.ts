import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { identityLayout, type TorchLayout } from '../interop/layout.js';

/** The parts of tfjs-core's engine that {@link Parameter} registers itself with (tfjs-core 4.22). */
interface EngineInternals {
  nextTensorId(): number;
  incRef(t: tf.Tensor, backend: unknown): void;
  backend: unknown;
  state: { registeredVariables: Record<string, tf.Variable> };
}

let nextParameterId = 0;

/** Options for a {@link Parameter}. @category Modules */
export interface ParameterOptions {
  /** Whether optimizers train it (`requires_grad`); default `true`. */
  requiresGrad?: boolean;
  /** Its PyTorch layout for state dicts; default {@link identityLayout}. */
  layout?: TorchLayout;
  /** A unique variable name (default: generated). */
  name?: string;
}

/**
 * A trainable tensor owned by a {@link Module}: a `tf.Variable` (so it works
 * with `tf.variableGrads` and every `tf.Optimizer`) that also knows its PyTorch
 * layout, used by `stateDict()` / `loadStateDict()`. `requiresGrad` is the
 * variable's `trainable` flag.
 *
 * Like `tf.variable`, the constructor copies nothing and does not take
 * ownership of `value`: dispose `value` yourself if you no longer need it
 * ({@link Module.registerParameter} does that for you).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter, linearWeightLayout } from '@fovea/core';
 * const init = tf.zeros([784, 10]);
 * const w = new Parameter(init, { layout: linearWeightLayout }); // internal [in, out]
 * init.dispose();
 * w.requiresGrad = false; // frozen
 * w.dispose();
 * ```
 * @category Modules
 */
export class Parameter extends tf.Variable {
  /** The PyTorch layout of this tensor (see {@link TorchLayout}). */
  readonly layout: TorchLayout;

  constructor(value: tf.Tensor, opts: ParameterOptions = {}) {
    if (!(value instanceof tf.Tensor)) {
      throw new FoveaError({ op: 'Parameter', arg: 'value', expected: 'a tf.Tensor', got: typeof value });
    }
    const engine = tf.engine() as unknown as EngineInternals;
    const name = opts.name ?? `fovea_param_${nextParameterId++}`;
    if (engine.state.registeredVariables[name] != null) {
      throw new FoveaError({ op: 'Parameter', arg: 'opts.name', expected: 'a name not used by another variable', got: `'${name}'` });
    }
    super(value, opts.requiresGrad ?? true, name, engine.nextTensorId());
    // what tf.variable() does after constructing a Variable
    engine.state.registeredVariables[name] = this;
    engine.incRef(this, engine.backend);
    this.layout = opts.layout ?? identityLayout;
  }

  /** Whether optimizers update it (PyTorch's `requires_grad`). */
  get requiresGrad(): boolean {
    return this.trainable;
  }

  set requiresGrad(v: boolean) {
    this.trainable = v;
  }
}
