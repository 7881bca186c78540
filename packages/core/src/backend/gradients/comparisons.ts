import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig } from '@tensorflow/tfjs-core';

/**
 * Comparisons and logical ops have boolean outputs and no gradient in
 * PyTorch; tfjs-core 4.22 registers none for them, so any tape that passes
 * a differentiable tensor through a mask fails: `tf.where(tf.greater(x, 0),
 * x, 0)` under `tf.grad` throws "gradient function not found for Greater"
 * (and so does `tf.divNoNan`). Their gradients are zeros: nothing flows
 * back through a boolean.
 */
const BINARY = ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr', 'LogicalXor'];

function zeroGrad(kernelName: string, inputs: string[]): GradConfig {
  return {
    kernelName,
    inputsToSave: inputs,
    gradFunc: (_dy, saved) => Object.fromEntries(inputs.map((name, i) => [name, () => tf.zeros(saved[i]!.shape)])),
  };
}

/** Zero gradients for the comparison and logical kernels. */
export const comparisonGradConfigs: GradConfig[] = [...BINARY.map((k) => zeroGrad(k, ['a', 'b'])), zeroGrad('LogicalNot', ['x'])];
