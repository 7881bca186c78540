import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, formatShape } from '@fovea/core';
import type { OptimizerStateDict } from './optimizer.js';

/**
 * Checks a state dict against an optimizer before anything is loaded: its
 * class, its groups' sizes, and each state tensor's position and shape.
 * (Hyper-parameters are checked by the optimizer's own group check.)
 * @internal
 */
export function checkStateDict(op: string, sd: OptimizerStateDict, className: string, groupSizes: number[], params: tf.Variable[]): void {
  if (!sd || typeof sd !== 'object' || !Array.isArray(sd.paramGroups) || typeof sd.state !== 'object') {
    throw new FoveaError({ op, arg: 'stateDict', expected: 'an object from stateDict()', got: sd === null ? 'null' : typeof sd });
  }
  if (sd.className !== className) {
    throw new FoveaError({ op, arg: 'stateDict.className', expected: `'${className}'`, got: `'${sd.className}'` });
  }
  const got = sd.paramGroups.map((g) => (Array.isArray(g.params) ? g.params.length : -1));
  if (groupSizes.length !== got.length || groupSizes.some((s, i) => s !== got[i])) {
    throw new FoveaError({ op, arg: 'stateDict.paramGroups', expected: `groups of sizes [${groupSizes.join(', ')}]`, got: `groups of sizes [${got.join(', ')}]` });
  }
  for (const [key, entry] of Object.entries(sd.state)) {
    const p = params[Number(key)];
    if (!p) throw new FoveaError({ op, arg: `stateDict.state[${key}]`, expected: `a parameter position < ${params.length}`, got: key });
    checkNumber(op, `stateDict.state[${key}].step`, entry.step, { integer: true, min: 0 });
    for (const [name, t] of Object.entries(entry.tensors)) {
      if (!(t instanceof tf.Tensor) || t.isDisposed || t.shape.join() !== p.shape.join()) {
        throw new FoveaError({ op, arg: `stateDict.state[${key}].${name}`, expected: `a live tensor of shape ${formatShape(p.shape)}`, got: t instanceof tf.Tensor ? `shape ${formatShape(t.shape)}` : typeof t });
      }
    }
  }
}
