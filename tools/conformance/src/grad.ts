import * as tf from '@tensorflow/tfjs-core';
import type { Parameter } from '@fovea/core';
import type { OpContext } from './types.js';

/**
 * Runs `forward` and, when the case has a `grad_seed`, also the gradients
 * the case lists as `grad:<name>`: of `sum_o sum(o * seed_o)` with respect to
 * the named inputs (given to `forward` as variables, PyTorch layout) and the
 * named module parameters (converted to PyTorch layout by their
 * {@link Parameter.layout}). Everything comes from the library's autograd.
 */
export function withGrads(
  ctx: OpContext,
  forward: (inputs: Record<string, tf.Tensor>) => Record<string, tf.Tensor>,
  params: Record<string, Parameter> = {},
): Record<string, tf.Tensor> {
  const seeds = ctx.gradSeed;
  const gradNames = ctx.wanted.filter((n) => n.startsWith('grad:')).map((n) => n.slice(5));
  if (!seeds || gradNames.length === 0) return forward(ctx.inputs);

  const inputVars: Record<string, tf.Variable> = {};
  for (const name of gradNames) {
    if (name in params) continue;
    const t = ctx.inputs[name];
    if (!t) throw new Error(`runner: grad:${name} names no input or parameter`);
    inputVars[name] = tf.variable(t, true, `conformance_${name}_${Math.random().toString(36).slice(2)}`);
  }
  // frozen parameters not asked for must not be differentiated
  const varList: tf.Variable[] = [...Object.values(inputVars), ...gradNames.filter((n) => n in params).map((n) => params[n]!)];
  const wasTrainable = varList.map((v) => v.trainable);
  varList.forEach((v) => (v.trainable = true));
  let outputs: Record<string, tf.Tensor> = {};
  try {
    const { value, grads } = tf.variableGrads(() => {
      const merged = { ...ctx.inputs, ...inputVars };
      outputs = forward(merged);
      Object.values(outputs).forEach((o) => tf.keep(o));
      let loss = tf.scalar(0);
      for (const [name, seed] of Object.entries(seeds)) {
        const o = outputs[name];
        if (!o) throw new Error(`runner: grad_seed names output '${name}' that the handler did not return`);
        loss = tf.add(loss, tf.sum(tf.mul(tf.cast(o, 'float32'), seed)));
      }
      return loss as tf.Scalar;
    }, varList);
    value.dispose();
    const result: Record<string, tf.Tensor> = { ...outputs };
    for (const name of gradNames) {
      const v = inputVars[name] ?? params[name]!;
      const g = grads[v.name] ?? tf.zerosLike(v);
      if (name in params) {
        result[`grad:${name}`] = params[name]!.layout.toTorch(g);
        g.dispose();
      } else {
        result[`grad:${name}`] = g;
      }
    }
    return result;
  } finally {
    varList.forEach((v, i) => (v.trainable = wasTrainable[i]!));
    Object.values(inputVars).forEach((v) => v.dispose());
  }
}
