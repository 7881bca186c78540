import { FoveaError } from '../errors/fovea-error.js';
import { checkNumber, describeValue } from '../validate/values.js';

/** The nonlinearities {@link calculateGain} knows (PyTorch's names). @category Init */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

const UNIT_GAIN = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid'];
const ALL: readonly Nonlinearity[] = [...(UNIT_GAIN as Nonlinearity[]), 'tanh', 'relu', 'leaky_relu', 'selu'];

/**
 * The recommended gain for a nonlinearity (PyTorch's `nn.init.calculate_gain`):
 * 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for relu,
 * √(2 / (1 + a²)) for leaky_relu with negative slope `a` (default 0.01), 3/4 for selu.
 *
 * @param nonlinearity the function that follows the layer.
 * @param param the negative slope `a` for `'leaky_relu'` (default 0.01); ignored otherwise.
 * @returns the gain, a positive number.
 * @example
 * ```ts
 * import { calculateGain } from '@fovea/core';
 * calculateGain('relu'); // 1.4142135623730951
 * calculateGain('leaky_relu', Math.sqrt(5)); // 0.5773502691896258
 * ```
 * @category Init
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (UNIT_GAIN.includes(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.sqrt(2);
    case 'leaky_relu': {
      const a = param === undefined ? 0.01 : checkNumber('calculateGain', 'param', param);
      return Math.sqrt(2 / (1 + a * a));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new FoveaError({
        op: 'calculateGain',
        arg: 'nonlinearity',
        expected: `one of ${ALL.map((n) => `'${n}'`).join(', ')}`,
        got: describeValue(nonlinearity),
      });
  }
}
