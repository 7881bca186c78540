import * as tf from '@tensorflow/tfjs-core';

/**
 * How a parameter stored in TensorFlow.js's layout maps to PyTorch's layout
 * for the same weight. A {@link Module}'s `stateDict()` writes PyTorch's
 * layout and `loadStateDict()` reads it, so state dicts saved by PyTorch load
 * unchanged.
 *
 * @category Interop
 */
export interface TorchLayout {
  /** A name for messages, e.g. `"conv2d weight"`. */
  readonly name: string;
  /** Internal tensor → PyTorch layout (a new tensor). */
  toTorch(x: tf.Tensor): tf.Tensor;
  /** PyTorch-layout tensor → internal layout (a new tensor). */
  fromTorch(x: tf.Tensor): tf.Tensor;
  /** The PyTorch shape of an internal shape. */
  torchShape(internal: readonly number[]): number[];
}

function permutation(name: string, toTorchPerm: number[]): TorchLayout {
  const inverse: number[] = [];
  toTorchPerm.forEach((p, i) => (inverse[p] = i));
  return {
    name,
    toTorch: (x) => tf.transpose(x, toTorchPerm),
    fromTorch: (x) => tf.transpose(x, inverse),
    torchShape: (s) => toTorchPerm.map((p) => s[p]!),
  };
}

/**
 * The same layout in both libraries (biases, norm weights, embeddings).
 *
 * @example
 * ```ts
 * import { identityLayout } from '@fovea/core';
 * identityLayout.torchShape([10]); // [10]
 * ```
 * @category Interop
 */
export const identityLayout: TorchLayout = {
  name: 'identity',
  toTorch: (x) => x.clone(),
  fromTorch: (x) => x.clone(),
  torchShape: (s) => [...s],
};

/**
 * `Linear.weight`: internal `[in, out]` (so `y = x @ W`) ↔ PyTorch `[out, in]`.
 *
 * @example
 * ```ts
 * import { linearWeightLayout } from '@fovea/core';
 * linearWeightLayout.torchShape([784, 10]); // [10, 784]
 * ```
 * @category Interop
 */
export const linearWeightLayout: TorchLayout = permutation('linear weight', [1, 0]);

/**
 * `Conv2d.weight` (any `groups`): internal `[kH, kW, Cin/groups, Cout]`
 * (TensorFlow.js's filter layout) ↔ PyTorch `[Cout, Cin/groups, kH, kW]`.
 *
 * @example
 * ```ts
 * import { conv2dWeightLayout } from '@fovea/core';
 * conv2dWeightLayout.torchShape([3, 3, 1, 32]); // [32, 1, 3, 3]
 * ```
 * @category Interop
 */
export const conv2dWeightLayout: TorchLayout = permutation('conv2d weight', [3, 2, 0, 1]);

/**
 * `ConvTranspose2d.weight`: internal `[kH, kW, Cout/groups, Cin]`
 * (`tf.conv2dTranspose`'s filter layout) ↔ PyTorch `[Cin, Cout/groups, kH, kW]`.
 *
 * @example
 * ```ts
 * import { convTranspose2dWeightLayout } from '@fovea/core';
 * convTranspose2dWeightLayout.torchShape([4, 4, 16, 32]); // [32, 16, 4, 4]
 * ```
 * @category Interop
 */
export const convTranspose2dWeightLayout: TorchLayout = permutation('conv_transpose2d weight', [3, 2, 0, 1]);

/**
 * `Conv3d.weight`: internal `[kD, kH, kW, Cin/groups, Cout]` ↔ PyTorch
 * `[Cout, Cin/groups, kD, kH, kW]`.
 *
 * @example
 * ```ts
 * import { conv3dWeightLayout } from '@fovea/core';
 * conv3dWeightLayout.torchShape([3, 3, 3, 1, 8]); // [8, 1, 3, 3, 3]
 * ```
 * @category Interop
 */
export const conv3dWeightLayout: TorchLayout = permutation('conv3d weight', [4, 3, 0, 1, 2]);

/**
 * `ConvTranspose3d.weight`: internal `[kD, kH, kW, Cout/groups, Cin]` ↔
 * PyTorch `[Cin, Cout/groups, kD, kH, kW]`.
 *
 * @example
 * ```ts
 * import { convTranspose3dWeightLayout } from '@fovea/core';
 * convTranspose3dWeightLayout.torchShape([2, 2, 2, 8, 16]); // [16, 8, 2, 2, 2]
 * ```
 * @category Interop
 */
export const convTranspose3dWeightLayout: TorchLayout = permutation('conv_transpose3d weight', [4, 3, 0, 1, 2]);
