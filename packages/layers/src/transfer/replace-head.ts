import { FoveaError, type Module } from '@fovea/core';

/** Options for {@link replaceHead}. @category Transfer learning */
export interface ReplaceHeadOptions {
  /** Dispose the old head's parameters; default `true`. */
  dispose?: boolean;
}

/**
 * Swaps a child module (the classifier head, typically) for a new one — the
 * "replace the last layer with one for my classes" step of transfer learning.
 * `name` may be dotted (`'classifier.6'`); the module's field that pointed at
 * the old child (e.g. `net.fc`) points at the new one.
 *
 * @param model the network.
 * @param name the child's dotted name, e.g. `'fc'`.
 * @param head the replacement.
 * @param opts dispose.
 * @returns the old child (already disposed unless `dispose: false`).
 * @example
 * ```ts
 * import { Linear, replaceHead, resnet18 } from '@fovea/layers';
 * const net = resnet18();
 * replaceHead(net, 'fc', new Linear(512, 10));
 * net.fc.outFeatures; // 10
 * ```
 * @category Transfer learning
 */
export function replaceHead(model: Module, name: string, head: Module, opts: ReplaceHeadOptions = {}): Module {
  const op = 'replaceHead';
  if (typeof name !== 'string' || name === '') throw new FoveaError({ op, arg: 'name', expected: 'a dotted child name', got: String(name) });
  const cut = name.lastIndexOf('.');
  const parentName = cut < 0 ? '' : name.slice(0, cut);
  const child = name.slice(cut + 1);
  const parent = new Map(model.namedModules()).get(parentName);
  const old = parent?.getModule(child);
  if (!parent || !old) {
    const children = [...model.namedModules()].map(([n]) => n).filter((n) => n !== '');
    throw new FoveaError({ op, arg: 'name', expected: `a child module of the model (${children.slice(0, 8).join(', ')}${children.length > 8 ? ', …' : ''})`, got: `'${name}'` });
  }
  parent.setModule(child, head);
  if (opts.dispose ?? true) old.dispose();
  return old;
}
