import * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import type { TorchLayout } from '../interop/layout.js';
import { formatShape } from '../validate/shape.js';
import { Parameter } from './parameter.js';

/**
 * A state dict: PyTorch `state_dict()` key names (`"conv1.weight"`,
 * `"bn1.running_mean"`) mapped to tensors in PyTorch's layouts.
 *
 * @category Modules
 */
export type StateDict = Record<string, tf.Tensor>;

/** Options for {@link Module.loadStateDict}. @category Modules */
export interface LoadStateDictOptions {
  /** Fail on missing or unexpected keys (PyTorch's `strict`); default `true`. */
  strict?: boolean;
}

/** What {@link Module.loadStateDict} did not match (only non-empty with `strict: false`). @category Modules */
export interface LoadStateDictResult {
  /** Keys the module has but the dict lacked. */
  missingKeys: string[];
  /** Keys the dict had but the module lacks. */
  unexpectedKeys: string[];
}

/** Options for {@link Module.registerBuffer}. @category Modules */
export interface BufferOptions {
  /** Whether the buffer is part of `stateDict()` (PyTorch's `persistent`); default `true`. */
  persistent?: boolean;
  /** Its PyTorch layout; default identity. */
  layout?: TorchLayout;
}

interface BufferEntry {
  value: Parameter;
  persistent: boolean;
}

/**
 * The base class of every layer and model, shaped like PyTorch's `nn.Module`:
 * named {@link Parameter}s, buffers (running statistics) and child modules,
 * `forward`, `train()` / `eval()`, `parameters()`, freezing, `stateDict()` /
 * `loadStateDict()` with PyTorch's key names and layouts, and `dispose()`.
 *
 * Subclasses register what they own in the constructor and implement
 * `forward`. Parameters are `tf.Variable`s, so training uses tfjs autograd
 * (`tf.variableGrads`) and any optimizer.
 *
 * @typeParam In the argument list of `forward`.
 * @typeParam Out what `forward` returns.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Module, Parameter, linearWeightLayout } from '@fovea/core';
 *
 * class Affine extends Module<[tf.Tensor], tf.Tensor> {
 *   readonly weight: Parameter;
 *   readonly bias: Parameter;
 *   constructor(inF: number, outF: number) {
 *     super();
 *     this.weight = this.registerParameter('weight', tf.zeros([inF, outF]), { layout: linearWeightLayout });
 *     this.bias = this.registerParameter('bias', tf.zeros([outF]));
 *   }
 *   forward(x: tf.Tensor): tf.Tensor {
 *     return tf.tidy(() => tf.add(tf.matMul(x, this.weight), this.bias)); // [N, out]
 *   }
 * }
 * const m = new Affine(3, 2);
 * Object.keys(m.stateDict()); // ['weight', 'bias'] — weight as PyTorch's [2, 3]
 * m.dispose();
 * ```
 * @category Modules
 */
export abstract class Module<In extends unknown[] = any[], Out = any> {
  /** Whether the module is in training mode (dropout active, batch statistics used). */
  training = true;
  private readonly _parameters = new Map<string, Parameter | null>();
  private readonly _buffers = new Map<string, BufferEntry | null>();
  private readonly _modules = new Map<string, Module | null>();

  /** Runs the module. Every tensor it makes but does not return must be released. */
  abstract forward(...args: In): Out;

  /**
   * Registers a trainable tensor under `name` (a PyTorch state-dict key part)
   * and returns it. A plain tensor is wrapped in a {@link Parameter} and then
   * disposed (the module owns the parameter); a `Parameter` is used as is.
   * `null` registers an absent optional parameter (e.g. no bias).
   */
  protected registerParameter(
    name: string,
    value: tf.Tensor | Parameter,
    opts?: { layout?: TorchLayout; requiresGrad?: boolean },
  ): Parameter;
  protected registerParameter(name: string, value: null): null;
  protected registerParameter(
    name: string,
    value: tf.Tensor | Parameter | null,
    opts: { layout?: TorchLayout; requiresGrad?: boolean } = {},
  ): Parameter | null {
    try {
      this.checkName('registerParameter', name);
    } catch (e) {
      if (value !== null && !(value instanceof Parameter)) value.dispose(); // ownership was ours
      throw e;
    }
    if (value === null) {
      this._parameters.set(name, null);
      return null;
    }
    let p: Parameter;
    if (value instanceof Parameter) {
      p = value;
    } else {
      p = new Parameter(value, opts);
      value.dispose();
    }
    this._parameters.set(name, p);
    return p;
  }

  /**
   * Registers a non-trainable state tensor (running statistics, counters)
   * under `name` and returns it as a non-trainable variable the module may
   * `assign` to. The module takes ownership of `value`.
   */
  protected registerBuffer(name: string, value: tf.Tensor, opts: BufferOptions = {}): Parameter {
    try {
      this.checkName('registerBuffer', name);
    } catch (e) {
      value.dispose(); // ownership was ours
      throw e;
    }
    const v = new Parameter(value, { requiresGrad: false, ...(opts.layout ? { layout: opts.layout } : {}) });
    value.dispose();
    this._buffers.set(name, { value: v, persistent: opts.persistent ?? true });
    return v;
  }

  /** Registers a child module under `name` and returns it (`null` for an absent optional child). */
  protected registerModule<M extends Module | null>(name: string, module: M): M {
    this.checkName('registerModule', name);
    if (module !== null && !(module instanceof Module)) {
      throw new FoveaError({ op: `${this.constructor.name}.registerModule`, arg: name, expected: 'a Module', got: typeof module });
    }
    this._modules.set(name, module);
    return module;
  }

  private checkName(method: string, name: string): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new FoveaError({ op: `${this.constructor.name}.${method}`, arg: 'name', expected: "a non-empty name without '.'", got: String(name) });
    }
    if (this._parameters.has(name) || this._buffers.has(name) || this._modules.has(name)) {
      throw new FoveaError({ op: `${this.constructor.name}.${method}`, arg: 'name', expected: 'a name not registered yet', got: `'${name}'` });
    }
  }

  /** The child module registered as `name`, or `undefined`. */
  getModule(name: string): Module | null | undefined {
    return this._modules.get(name);
  }

  /**
   * Replaces the child `name` with `module` (head replacement for transfer
   * learning) and returns the old child, which the caller may dispose. A field
   * of this object that pointed at the old child is pointed at the new one.
   */
  setModule<M extends Module>(name: string, module: M): Module | null {
    if (!this._modules.has(name)) {
      throw new FoveaError({ op: `${this.constructor.name}.setModule`, arg: 'name', expected: `one of ${[...this._modules.keys()].join(', ') || '(no children)'}`, got: `'${name}'` });
    }
    const old = this._modules.get(name) ?? null;
    this._modules.set(name, module);
    const self = this as unknown as Record<string, unknown>;
    for (const key of Object.keys(self)) if (old !== null && self[key] === old) self[key] = module;
    return old;
  }

  /** Direct children with their names. */
  *namedChildren(): IterableIterator<[string, Module]> {
    for (const [n, m] of this._modules) if (m) yield [n, m];
  }

  /** Direct children. */
  children(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  /** This module and all descendants with dotted names (`''` for this one). */
  *namedModules(prefix = ''): IterableIterator<[string, Module]> {
    yield [prefix, this];
    for (const [n, m] of this.namedChildren()) yield* m.namedModules(prefix ? `${prefix}.${n}` : n);
  }

  /** This module and all descendants. */
  modules(): Module[] {
    return [...this.namedModules()].map(([, m]) => m);
  }

  /** Parameters with dotted PyTorch names, each shared parameter once. */
  namedParameters(opts: { recurse?: boolean } = {}): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    const mods = opts.recurse === false ? [['', this] as [string, Module]] : [...this.namedModules()];
    for (const [prefix, m] of mods) {
      for (const [n, p] of m._parameters) {
        if (!p || seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${n}` : n, p]);
      }
    }
    return out;
  }

  /** All parameters (trainable or frozen), each once. */
  parameters(opts: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(opts).map(([, p]) => p);
  }

  /** The parameters an optimizer should update (`requiresGrad` true). */
  trainableParameters(): Parameter[] {
    return this.parameters().filter((p) => p.trainable);
  }

  /** Buffers with dotted names (persistent and not). */
  namedBuffers(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [n, b] of m._buffers) if (b) out.push([prefix ? `${prefix}.${n}` : n, b.value]);
    }
    return out;
  }

  /** All buffers. */
  buffers(): Parameter[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** Total number of parameter elements (trainable and frozen). */
  numParameters(opts: { trainableOnly?: boolean } = {}): number {
    return this.parameters()
      .filter((p) => !opts.trainableOnly || p.trainable)
      .reduce((s, p) => s + p.size, 0);
  }

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Sets `requiresGrad` on every parameter (PyTorch's `requires_grad_`); returns this. */
  requiresGrad(flag = true): this {
    for (const p of this.parameters()) p.trainable = flag;
    return this;
  }

  /** Freezes every parameter (no optimizer updates); returns this. */
  freeze(): this {
    return this.requiresGrad(false);
  }

  /** Unfreezes every parameter; returns this. */
  unfreeze(): this {
    return this.requiresGrad(true);
  }

  /** Calls `fn` on every descendant and this module (children first, as PyTorch's `apply`); returns this. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  private *stateEntries(prefix = ''): IterableIterator<[string, Parameter]> {
    for (const [n, p] of this._parameters) if (p) yield [prefix + n, p];
    for (const [n, b] of this._buffers) if (b && b.persistent) yield [prefix + n, b.value];
    for (const [n, m] of this._modules) if (m) yield* m.stateEntries(`${prefix}${n}.`);
  }

  /**
   * The module's state as PyTorch would write it: keys in PyTorch's order
   * (each module's parameters, then its buffers, then its children), values
   * as new tensors in PyTorch's layouts (the caller disposes them).
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [k, v] of this.stateEntries()) out[k] = v.layout.toTorch(v);
    return out;
  }

  /**
   * Loads a PyTorch-layout state dict (e.g. `torch.save(model.state_dict())`
   * exported to safetensors). Every key, shape and dtype is checked before
   * anything is written, so a bad dict changes nothing. Integer tensors for
   * integer buffers (`num_batches_tracked`) are accepted as int32; float
   * values are cast to the parameter's dtype. The dict's tensors are not
   * disposed.
   */
  loadStateDict(dict: StateDict, opts: LoadStateDictOptions = {}): LoadStateDictResult {
    const op = `${this.constructor.name}.loadStateDict`;
    if (typeof dict !== 'object' || dict === null) {
      throw new FoveaError({ op, arg: 'stateDict', expected: 'an object of tensors', got: String(dict) });
    }
    const strict = opts.strict ?? true;
    const entries = new Map(this.stateEntries());
    const missingKeys = [...entries.keys()].filter((k) => !(k in dict));
    const unexpectedKeys = Object.keys(dict).filter((k) => !entries.has(k));
    if (strict && (missingKeys.length || unexpectedKeys.length)) {
      const parts: string[] = [];
      if (missingKeys.length) parts.push(`missing ${missingKeys.slice(0, 8).join(', ')}${missingKeys.length > 8 ? ', …' : ''}`);
      if (unexpectedKeys.length) parts.push(`unexpected ${unexpectedKeys.slice(0, 8).join(', ')}${unexpectedKeys.length > 8 ? ', …' : ''}`);
      throw new FoveaError({ op, arg: 'stateDict', expected: 'exactly the module’s keys', got: parts.join('; ') });
    }
    const plan: [Parameter, tf.Tensor][] = [];
    for (const [key, p] of entries) {
      if (!(key in dict)) continue;
      const value = dict[key];
      if (!(value instanceof tf.Tensor) || value.isDisposed) {
        throw new FoveaError({ op, arg: `stateDict['${key}']`, expected: 'a live tf.Tensor', got: value === undefined ? 'undefined' : typeof value });
      }
      const want = p.layout.torchShape(p.shape);
      if (want.length !== value.shape.length || want.some((d, i) => d !== value.shape[i])) {
        throw new FoveaError({ op, arg: `stateDict['${key}']`, expected: `shape ${formatShape(want)} (${p.layout.name})`, got: `shape ${formatShape(value.shape)}` });
      }
      if (p.dtype === 'float32' ? value.dtype === 'string' || value.dtype === 'complex64' : value.dtype !== p.dtype && value.dtype !== 'int32' && value.dtype !== 'bool') {
        throw new FoveaError({ op, arg: `stateDict['${key}']`, expected: `dtype ${p.dtype}`, got: `dtype ${value.dtype}` });
      }
      plan.push([p, value]);
    }
    for (const [p, value] of plan) {
      tf.tidy(() => {
        const v = p.layout.fromTorch(value);
        p.assign(v.dtype === p.dtype ? v : tf.cast(v, p.dtype));
      });
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Releases every parameter and buffer of this module and its descendants. */
  dispose(): void {
    for (const m of this.modules()) {
      for (const p of m._parameters.values()) if (p && !p.isDisposed) p.dispose();
      for (const b of m._buffers.values()) if (b && !b.value.isDisposed) b.value.dispose();
    }
  }
}
