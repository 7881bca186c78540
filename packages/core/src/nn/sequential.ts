import type * as tf from '@tensorflow/tfjs-core';
import { FoveaError } from '../errors/fovea-error.js';
import { Module } from './module.js';

/**
 * A chain of modules applied in order (PyTorch's `nn.Sequential`): children
 * are named `'0'`, `'1'`, … (or by the keys of an object), so state-dict keys
 * read `"0.weight"` as in PyTorch.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Module, Sequential } from '@fovea/core';
 * class Double extends Module<[tf.Tensor], tf.Tensor> {
 *   forward(x: tf.Tensor) { return tf.mul(x, 2); }
 * }
 * const net = new Sequential(new Double(), new Double());
 * net.forward(tf.ones([2])).print(); // [4, 4]
 * ```
 * @category Modules
 */
export class Sequential extends Module<[tf.Tensor], tf.Tensor> {
  private readonly order: string[] = [];

  /** Modules in order, or one object whose keys name them. */
  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && first !== undefined && !(first instanceof Module)) {
      for (const [name, m] of Object.entries(first)) this.add(name, m);
    } else {
      (modules as Module[]).forEach((m) => this.append(m));
    }
  }

  private add(name: string, m: Module): void {
    if (!(m instanceof Module)) {
      throw new FoveaError({ op: 'Sequential', arg: `modules['${name}']`, expected: 'a Module', got: typeof m });
    }
    this.registerModule(name, m);
    this.order.push(name);
  }

  /** Appends a module (named by its position); returns this. */
  append(m: Module): this {
    this.add(String(this.order.length), m);
    return this;
  }

  /** Number of modules. */
  get length(): number {
    return this.order.length;
  }

  /** The module at position `i` (negative counts from the end). */
  at(i: number): Module {
    const j = i < 0 ? this.order.length + i : i;
    const name = this.order[j];
    const m = name === undefined ? undefined : this.getModule(name);
    if (!m) {
      throw new FoveaError({ op: 'Sequential.at', arg: 'i', expected: `an index in [-${this.order.length}, ${this.order.length})`, got: String(i) });
    }
    return m;
  }

  /** Applies each module to the previous one's output, releasing intermediates. */
  forward(x: tf.Tensor): tf.Tensor {
    let h = x;
    for (const name of this.order) {
      const m = this.getModule(name);
      if (!m) continue;
      const next = m.forward(h) as tf.Tensor;
      if (h !== x && next !== h) h.dispose();
      h = next;
    }
    return h;
  }
}

/**
 * A list of child modules (PyTorch's `nn.ModuleList`): registered as
 * `'0'`, `'1'`, … so their parameters appear in `parameters()` and
 * `stateDict()`, but with no `forward` of its own.
 *
 * @example
 * ```ts
 * import { ModuleList, Sequential } from '@fovea/core';
 * const blocks = new ModuleList([new Sequential(), new Sequential()]);
 * blocks.length; // 2
 * ```
 * @category Modules
 */
export class ModuleList<M extends Module = Module> extends Module<[], never> implements Iterable<M> {
  private readonly items: M[] = [];

  constructor(modules: M[] = []) {
    super();
    modules.forEach((m) => this.push(m));
  }

  /** Appends a module; returns this. */
  push(m: M): this {
    this.registerModule(String(this.items.length), m);
    this.items.push(m);
    return this;
  }

  /** Number of modules. */
  get length(): number {
    return this.items.length;
  }

  /** The module at `i` (negative counts from the end). */
  at(i: number): M {
    const m = this.items.at(i);
    if (!m) throw new FoveaError({ op: 'ModuleList.at', arg: 'i', expected: `an index in [-${this.items.length}, ${this.items.length})`, got: String(i) });
    return m;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }

  /** A ModuleList has no forward; iterate it instead. */
  forward(): never {
    throw new FoveaError({ op: 'ModuleList.forward', arg: 'this', expected: 'iteration over the list', got: 'a forward() call' });
  }
}
