import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, formatShape } from '@fovea/core';
import { checkStateDict } from './_state.js';
import { clipGradNorm } from '../clip/clip-grad-norm.js';
import { clipGradValue } from '../clip/clip-grad-value.js';

/**
 * Hyper-parameters every optimizer's parameter group has. Subclasses add
 * their own (`momentum`, `betas`, ...). A scheduler changes `lr` in place.
 *
 * @category Optimizers
 */
export interface GroupOptions {
  /** Learning rate. */
  lr: number;
  /** Weight decay (L2 penalty, or decoupled for AdamW). */
  weightDecay: number;
  /** Maximise the objective instead of minimising it (PyTorch's `maximize`). */
  maximize: boolean;
}

/**
 * A parameter group as given to an optimizer: its variables and, optionally,
 * its own hyper-parameters (anything not given takes the optimizer's default),
 * PyTorch's `{'params': ..., 'lr': ...}` dicts.
 *
 * @example
 * ```ts
 * // a pretrained backbone ten times slower than a new head
 * const groups = [{ params: backbone.parameters(), lr: 1e-4 }, { params: head.parameters() }];
 * const opt = new SGD(groups, { lr: 1e-3, momentum: 0.9 });
 * ```
 * @category Optimizers
 */
export type ParamGroupInput<G extends GroupOptions = GroupOptions> = { params: Iterable<tf.Variable> } & Partial<G>;

/** What an optimizer's constructor accepts as `params`: variables, or parameter groups. @category Optimizers */
export type ParamsInput<G extends GroupOptions = GroupOptions> = Iterable<tf.Variable> | Iterable<ParamGroupInput<G>>;

/** A parameter group as the optimizer holds it: its variables and all its hyper-parameters. @category Optimizers */
export type ParamGroup<G extends GroupOptions = GroupOptions> = G & { params: tf.Variable[] };

/** A named tensor, as `tf.Optimizer.getWeights` and `applyGradients` use them. @category Optimizers */
export interface NamedTensor {
  /** The variable's name (for state: `<variable>/<state name>`). */
  name: string;
  /** The tensor. */
  tensor: tf.Tensor;
}

/** Gradients as {@link Optimizer.step} takes them: by variable name (what `tf.variableGrads` returns), a `Map`, or `NamedTensor[]`. @category Optimizers */
export type GradientsInput = tf.NamedTensorMap | Map<tf.Variable, tf.Tensor> | NamedTensor[];

/** One parameter's optimizer state: its step count and named state tensors (PyTorch's names: `exp_avg`, `momentum_buffer`, ...), for writing custom optimizers. @category Optimizers */
export interface ParamState {
  /** Updates applied to the parameter so far (incremented before each update). */
  step: number;
  /** The state tensors by name. */
  buffers: Map<string, tf.Variable>;
}

/**
 * An optimizer's state in PyTorch's shape (`optimizer.state_dict()`):
 * per-parameter state keyed by the parameter's position across all groups,
 * and the groups' hyper-parameters with the positions of their parameters.
 * Tensors are copies the caller disposes (or passes to
 * {@link flattenOptimizerState} to save them).
 *
 * @category Optimizers
 */
export interface OptimizerStateDict {
  /** The optimizer's class name, e.g. `'Adam'`. */
  className: string;
  /** Per parameter (by position): its `step` and its state tensors (`exp_avg`, `momentum_buffer`, ...). */
  state: Record<number, { step: number; tensors: Record<string, tf.Tensor> }>;
  /** Each group's hyper-parameters and the positions of its parameters. */
  paramGroups: (Record<string, unknown> & { params: number[] })[];
  /** Number of `step()` calls (`tf.Optimizer.iterations`). */
  iterations: number;
}

function isVariable(v: unknown): v is tf.Variable {
  return v instanceof tf.Variable;
}

const registeredClasses = new Set<unknown>();

/**
 * Registers a Fovea optimizer class with tfjs serialization (once). Called
 * by each optimizer's constructor rather than at import time, so importing
 * the package has no side effects; {@link registerOptimizers} registers all.
 * @internal
 */
export function registerClassOnce(cls: tf.serialization.SerializableConstructor<tf.serialization.Serializable>): void {
  if (registeredClasses.has(cls)) return;
  registeredClasses.add(cls);
  tf.serialization.registerClass(cls);
}

/**
 * The base class of Fovea's optimizers, shaped like `torch.optim.Optimizer`
 * and a `tf.Optimizer` at the same time:
 *
 * - **PyTorch style**: parameter groups with their own hyper-parameters,
 *   `zeroGrad()` / `backward(lossFn)` / `step()`, `stateDict()` /
 *   `loadStateDict()`.
 * - **TensorFlow.js style**: `minimize(f)`, `applyGradients(grads)`,
 *   `getWeights()` / `setWeights()`, `getConfig()`, so a tfjs-layers model
 *   compiled with one trains. Created without parameters (`new Adam({ lr })`)
 *   the optimizer adopts every variable it is given gradients for.
 *
 * **Gradients and `zeroGrad`.** tfjs has no `.grad` field, so the optimizer
 * keeps it: `backward(f)` adds the gradients of `f` to the stored ones (as
 * PyTorch's `loss.backward()` accumulates into `.grad`), `step()` applies the
 * stored gradients, and `zeroGrad()` releases them (PyTorch's
 * `zero_grad(set_to_none=True)`): call it before each `backward`, or skip it
 * to accumulate gradients over several batches. `step(grads)` applies the
 * given gradients instead and leaves the stored ones alone.
 *
 * On `wasm` and `cpu` each parameter's update is one fused kernel that reads
 * the parameter, its gradient and its state once and writes them back (a
 * WebAssembly SIMD loop on wasm, a JavaScript loop on cpu); on other backends
 * (webgpu) a handful of elementwise tf ops inside `tf.tidy`. No value is read
 * back to JavaScript either way.
 *
 * @typeParam G the group hyper-parameters.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Parameter } from '@fovea/core';
 * import { SGD } from '@fovea/optim';
 * const w = new Parameter(tf.tensor1d([1, 2]));
 * const opt = new SGD([w], { lr: 0.5 });         // any subclass: SGD, Adagrad, RMSprop, Adam, AdamW
 * opt.zeroGrad();                                // forget the previous gradients
 * const loss = opt.backward(() => tf.sum(tf.square(w)) as tf.Scalar); // dL/dw = 2w, stored
 * opt.step();                                    // w ← w − 0.5·2w
 * w.print();                                     // [0, 0]
 * loss.dispose();
 * ```
 * @category Optimizers
 */
export abstract class Optimizer<G extends GroupOptions = GroupOptions> extends tf.Optimizer {
  /** The defaults a group gets for hyper-parameters it does not set. */
  readonly defaults: G;
  /** The parameter groups; schedulers and users may change their hyper-parameters between steps. */
  readonly paramGroups: ParamGroup<G>[] = [];
  /** Per-parameter state (created on a parameter's first update). */
  protected readonly state = new Map<tf.Variable, ParamState>();
  private readonly grads = new Map<tf.Variable, tf.Tensor>();
  /** Each parameter's group, for O(1) lookups in `step`. */
  private readonly groupIndex = new Map<tf.Variable, ParamGroup<G>>();
  /** Whether the optimizer adopts unknown variables (created without `params`). */
  private readonly open: boolean;

  /** The name used in error messages, e.g. `'Adam'`. */
  protected readonly opName: string;

  /**
   * Updates one parameter in place with its gradient (called inside
   * `tf.tidy`, after `state.step` was incremented). Implementations read
   * and write `state.buffers` through {@link Optimizer.buffer}.
   */
  protected abstract updateParam(p: tf.Variable, g: tf.Tensor, group: ParamGroup<G>, state: ParamState): void;

  /** Checks one group's hyper-parameters (throws a FoveaError). */
  protected abstract checkGroup(group: G, where: string): void;

  /**
   * @param params variables (e.g. `module.parameters()`), parameter groups,
   *   or `null` to adopt any variable given to `applyGradients` (tfjs-layers).
   * @param defaults the hyper-parameters.
   * @param opName the class name for error messages.
   */
  protected constructor(params: ParamsInput<G> | null, defaults: G, opName: string) {
    super();
    this.opName = opName;
    this.defaults = defaults;
    this.checkGroup(defaults, 'options');
    this.open = params === null;
    if (params === null) {
      this.paramGroups.push({ ...defaults, params: [] });
      return;
    }
    if (params === undefined || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new FoveaError({ op: this.opName, arg: 'params', expected: 'an iterable of variables or of parameter groups', got: params === undefined ? 'undefined' : typeof params });
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) {
      throw new FoveaError({ op: this.opName, arg: 'params', expected: 'at least one parameter (or null for a tfjs-layers optimizer)', got: 'an empty list' });
    }
    if (list.every(isVariable)) this.addParamGroup({ params: list } as unknown as ParamGroupInput<G>);
    else list.forEach((g) => this.addParamGroup(g as ParamGroupInput<G>));
  }

  /**
   * Adds a parameter group (PyTorch's `add_param_group`), e.g. a layer
   * unfrozen during fine-tuning. Its missing hyper-parameters take the defaults.
   */
  addParamGroup(group: ParamGroupInput<G>): void {
    const where = `paramGroups[${this.paramGroups.length}]`;
    if (typeof group !== 'object' || group === null || !('params' in group)) {
      throw new FoveaError({ op: this.opName, arg: where, expected: 'a variable or a { params, ...options } group', got: group === null ? 'null' : typeof group });
    }
    const params = [...group.params];
    params.forEach((p, i) => {
      if (!isVariable(p)) throw new FoveaError({ op: this.opName, arg: `${where}.params[${i}]`, expected: 'a tf.Variable (e.g. a Parameter)', got: typeof p });
      if (p.dtype !== 'float32') throw new FoveaError({ op: this.opName, arg: `${where}.params[${i}]`, expected: 'dtype float32', got: `dtype ${p.dtype}` });
      if (this.groupOf(p)) throw new FoveaError({ op: this.opName, arg: `${where}.params[${i}]`, expected: 'a parameter in no other group', got: `'${p.name}', already in a group` });
    });
    if (new Set(params).size !== params.length) {
      throw new FoveaError({ op: this.opName, arg: `${where}.params`, expected: 'distinct parameters', got: 'a parameter listed twice' });
    }
    const { params: _drop, ...opts } = group;
    const merged = { ...this.defaults, ...opts } as G;
    this.checkGroup(merged, where);
    const g = { ...merged, params: [] as tf.Variable[] } as ParamGroup<G>;
    this.paramGroups.push(g);
    params.forEach((p) => this.attach(p, g));
  }

  /** Every parameter of every group, in order (the positions {@link Optimizer.stateDict} uses). */
  parameters(): tf.Variable[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  private groupOf(p: tf.Variable): ParamGroup<G> | undefined {
    return this.groupIndex.get(p);
  }

  /** Adds `p` to `group` (bookkeeping shared by groups and adopted variables). */
  private attach(p: tf.Variable, group: ParamGroup<G>): void {
    if (!group.params.includes(p)) group.params.push(p);
    this.groupIndex.set(p, group);
  }

  /** The stored (accumulated) gradient of `p`, or `undefined` (PyTorch's `p.grad`). */
  grad(p: tf.Variable): tf.Tensor | undefined {
    return this.grads.get(p);
  }

  /**
   * Releases the stored gradients (PyTorch's `zero_grad(set_to_none=True)`).
   * Gradients given to `step(grads)` are never stored, so `zeroGrad` is only
   * needed with {@link Optimizer.backward}.
   */
  zeroGrad(): void {
    for (const g of this.grads.values()) g.dispose();
    this.grads.clear();
  }

  /**
   * Evaluates the scalar `f`, and adds its gradients with respect to every
   * trainable parameter of the groups to the stored gradients (PyTorch's
   * `loss.backward()`). Returns the loss, which the caller disposes.
   *
   * @param f a function returning a scalar loss that uses the parameters.
   */
  backward(f: () => tf.Scalar): tf.Scalar {
    const vars = this.parameters().filter((p) => p.trainable);
    if (vars.length === 0) {
      throw new FoveaError({ op: `${this.opName}.backward`, arg: 'params', expected: 'at least one trainable parameter', got: this.open ? 'none (an optimizer created without params: use minimize or applyGradients)' : 'only frozen parameters' });
    }
    const { value, grads } = tf.variableGrads(f, vars);
    for (const p of vars) {
      const g = grads[p.name];
      if (!g) continue;
      const old = this.grads.get(p);
      if (old) {
        this.grads.set(p, tf.add(old, g));
        old.dispose();
        g.dispose();
      } else {
        this.grads.set(p, g);
      }
    }
    return value;
  }

  /**
   * Clips the stored gradients by their total norm, in place (PyTorch's
   * `clip_grad_norm_` on `.grad`); see {@link clipGradNorm}. Returns the
   * total norm before clipping (the caller disposes it).
   */
  clipGradNorm(maxNorm: number, normType: number | 'inf' = 2): tf.Scalar {
    const entries = [...this.grads.entries()];
    const { grads, totalNorm } = clipGradNorm(entries.map(([, g]) => g), maxNorm, normType);
    entries.forEach(([p, old], i) => {
      old.dispose();
      this.grads.set(p, grads[i]!);
    });
    return totalNorm;
  }

  /** Clamps the stored gradients to `[-clipValue, clipValue]` in place; see {@link clipGradValue}. */
  clipGradValue(clipValue: number): void {
    const entries = [...this.grads.entries()];
    const clipped = clipGradValue(entries.map(([, g]) => g), clipValue);
    entries.forEach(([p, old], i) => {
      old.dispose();
      this.grads.set(p, clipped[i]!);
    });
  }

  /**
   * Performs one optimization step: updates every parameter that has a
   * gradient (frozen parameters are skipped). With `grads`, those gradients
   * are used (by variable name as `tf.variableGrads` returns them, a `Map`,
   * or `NamedTensor[]`; they are not disposed); without, the stored
   * gradients from {@link Optimizer.backward}.
   */
  step(grads?: GradientsInput): void {
    const pairs = grads === undefined ? [...this.grads.entries()] : this.resolveGrads(grads);
    tf.tidy(() => {
      for (const [p, g] of pairs) {
        if (!p.trainable) continue;
        const group = this.groupOf(p)!;
        let st = this.state.get(p);
        if (!st) {
          st = { step: 0, buffers: new Map() };
          this.state.set(p, st);
        }
        st.step += 1;
        this.updateParam(p, g, group, st);
      }
    });
    this.incrementIterations();
  }

  private resolveGrads(grads: GradientsInput): [tf.Variable, tf.Tensor][] {
    const op = `${this.opName}.step`;
    let named: [string | tf.Variable, tf.Tensor | undefined][];
    if (grads instanceof Map) named = [...grads.entries()];
    else if (Array.isArray(grads)) named = grads.map((n) => [n.name, n.tensor]);
    else if (typeof grads === 'object' && grads !== null) named = Object.entries(grads);
    else throw new FoveaError({ op, arg: 'grads', expected: 'a map of variable name to gradient', got: typeof grads });
    const byName = new Map(this.parameters().map((p) => [p.name, p]));
    const out: [tf.Variable, tf.Tensor][] = [];
    for (const [key, g] of named) {
      if (g == null) continue; // no gradient: the parameter is left alone, as PyTorch does for grad None
      let p = typeof key === 'string' ? byName.get(key) : key;
      if (!p || !this.groupOf(p)) {
        const v = typeof key === 'string' ? tf.engine().registeredVariables[key] : key;
        if (!this.open || !v) {
          throw new FoveaError({ op, arg: `grads['${typeof key === 'string' ? key : key.name}']`, expected: 'a gradient for a parameter of this optimizer', got: 'an unknown variable' });
        }
        this.attach(v, this.paramGroups[0]!);
        p = v;
      }
      if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p!.shape[i])) {
        throw new FoveaError({ op, arg: `grads['${p.name}']`, expected: `the parameter's shape ${formatShape(p.shape)}`, got: `shape ${formatShape(g.shape)}` });
      }
      out.push([p, g]);
    }
    return out;
  }

  /**
   * Returns the state buffer `name` of a parameter, creating it from
   * `init()` (kept out of the surrounding tidy) on first use.
   */
  protected buffer(st: ParamState, name: string, init: () => tf.Tensor): tf.Variable {
    let v = st.buffers.get(name);
    if (!v) {
      const t = init();
      v = tf.variable(t, false); // shares t's data; t itself is released by the surrounding tidy
      st.buffers.set(name, v);
    }
    return v;
  }

  /** `tf.Optimizer` entry point (tfjs-layers' `fit` calls it): the same as {@link Optimizer.step} with these gradients. */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    this.step(variableGradients);
  }

  /**
   * Evaluates `f`, computes its gradients and takes one step with them
   * (`tf.Optimizer.minimize`, what tfjs-layers calls). Without `varList`
   * it uses the groups' trainable parameters (an optimizer created without
   * params: every trainable variable). Stored gradients are not touched.
   *
   * @returns the loss when `returnCost` (the caller disposes it), else `null`.
   */
  override minimize(f: () => tf.Scalar, returnCost = false, varList?: tf.Variable[]): tf.Scalar | null {
    let vars = varList?.filter((v) => v.trainable);
    if (!vars && !(this.open && this.parameters().length === 0)) vars = this.parameters().filter((p) => p.trainable);
    const { value, grads } = tf.variableGrads(f, vars);
    try {
      this.step(grads);
    } finally {
      tf.dispose(grads);
    }
    if (returnCost) return value;
    value.dispose();
    return null;
  }

  /**
   * The optimizer's state in PyTorch's shape; see {@link OptimizerStateDict}.
   * The tensors are copies the caller disposes.
   */
  stateDict(): OptimizerStateDict {
    const params = this.parameters();
    const state: OptimizerStateDict['state'] = {};
    params.forEach((p, i) => {
      const st = this.state.get(p);
      if (!st) return;
      const tensors: Record<string, tf.Tensor> = {};
      for (const [k, v] of st.buffers) tensors[k] = tf.clone(v);
      state[i] = { step: st.step, tensors };
    });
    let pos = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params: ps, ...hyper } = g;
      const idx = ps.map(() => pos++);
      return { ...JSON.parse(JSON.stringify(hyper)), params: idx };
    });
    return { className: this.getClassName(), state, paramGroups, iterations: this.iterations };
  }

  /**
   * Restores a state from {@link Optimizer.stateDict} (the optimizer must
   * have the same groups with parameters of the same shapes). Everything
   * is checked before anything is written; the dict's tensors are not disposed.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const op = `${this.opName}.loadStateDict`;
    const params = this.parameters();
    checkStateDict(op, sd, this.getClassName(), this.paramGroups.map((g) => g.params.length), params);
    sd.paramGroups.forEach((g, i) => {
      const { params: _p, ...hyper } = g;
      const merged = { ...this.paramGroups[i]!, ...hyper } as ParamGroup<G>;
      this.checkGroup(merged, `stateDict.paramGroups[${i}]`);
    });
    this.resetState();
    sd.paramGroups.forEach((g, i) => {
      const { params: _p, ...hyper } = g;
      Object.assign(this.paramGroups[i]!, hyper);
    });
    for (const [key, entry] of Object.entries(sd.state)) {
      const buffers = new Map<string, tf.Variable>();
      for (const [name, t] of Object.entries(entry.tensors)) {
        const c = tf.cast(t, 'float32'); // a copy, so the dict's tensors stay the caller's
        buffers.set(name, tf.variable(c, false));
        c.dispose();
      }
      this.state.set(params[Number(key)]!, { step: entry.step, buffers });
    }
    this.iterations_ = sd.iterations ?? 0;
  }

  private resetState(): void {
    for (const st of this.state.values()) for (const v of st.buffers.values()) v.dispose();
    this.state.clear();
  }

  /** `tf.Optimizer.getWeights`: `iter`, then `<variable>/<state>` for each state tensor and `<variable>/step`. */
  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    for (const p of this.parameters()) {
      const st = this.state.get(p);
      if (!st) continue;
      out.push({ name: `${p.name}/step`, tensor: tf.scalar(st.step, 'int32') });
      for (const [k, v] of st.buffers) out.push({ name: `${p.name}/${k}`, tensor: v });
    }
    return out;
  }

  /** `tf.Optimizer.setWeights`: restores what {@link Optimizer.getWeights} returned (matched by variable name). */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const byName = new Map(this.parameters().map((p) => [p.name, p]));
    const parsed: [tf.Variable, string, tf.Tensor][] = [];
    for (const { name, tensor } of rest) {
      const cut = name.lastIndexOf('/');
      const varName = name.slice(0, cut);
      let p = byName.get(varName);
      if (!p && this.open) p = tf.engine().registeredVariables[varName];
      if (!p || cut < 0) throw new FoveaError({ op: `${this.opName}.setWeights`, arg: `weightValues['${name}']`, expected: 'state of a parameter of this optimizer', got: 'an unknown variable' });
      parsed.push([p, name.slice(cut + 1), tensor]);
    }
    this.resetState();
    for (const [p, key, t] of parsed) {
      if (this.open && !this.groupOf(p)) this.attach(p, this.paramGroups[0]!);
      let st = this.state.get(p);
      if (!st) this.state.set(p, (st = { step: 0, buffers: new Map() }));
      if (key === 'step') st.step = (await t.data())[0]!;
      else {
        const c = tf.cast(t, 'float32');
        st.buffers.set(key, tf.variable(c, false));
        c.dispose();
      }
    }
  }

  /** The default hyper-parameters (`tf.Optimizer.getConfig`); `fromConfig` builds an optimizer that adopts any variable. */
  getConfig(): tf.serialization.ConfigDict {
    return JSON.parse(JSON.stringify(this.defaults)) as tf.serialization.ConfigDict;
  }

  /** Releases the optimizer's state and stored gradients (not the parameters). */
  override dispose(): void {
    this.zeroGrad();
    this.resetState();
  }
}
