import { FoveaError } from '../errors/fovea-error.js';
import { identityLayout, type TorchLayout } from '../interop/layout.js';
import { formatShape } from '../validate/shape.js';

/** A weight's fans, as PyTorch counts them. @category Init */
export interface Fans {
  /** Inputs feeding one output unit: `shape[1] · prod(shape[2:])` of the PyTorch shape. */
  fanIn: number;
  /** Outputs fed by one input unit: `shape[0] · prod(shape[2:])` of the PyTorch shape. */
  fanOut: number;
}

/**
 * The fan-in and fan-out of a weight (PyTorch's `_calculate_fan_in_and_fan_out`),
 * computed from its **PyTorch** shape: `[out, in]` for Linear,
 * `[Cout, Cin/groups, kH, kW]` for Conv2d. Pass the weight's internal shape with
 * its {@link TorchLayout} (`conv2dWeightLayout` for `[kH, kW, Cin/groups, Cout]`)
 * and it is converted first, so `fanIn = Cin/groups · kH · kW` as in PyTorch.
 *
 * @param shape the weight's shape (rank ≥ 2) in the layout `layout` describes.
 * @param layout how `shape` maps to PyTorch's layout (default: it already is PyTorch's).
 * @returns `{ fanIn, fanOut }`.
 * @example
 * ```ts
 * import { computeFans, conv2dWeightLayout, linearWeightLayout } from '@fovea/core';
 * computeFans([3, 3, 16, 32], conv2dWeightLayout); // { fanIn: 144, fanOut: 288 }
 * computeFans([784, 10], linearWeightLayout);      // { fanIn: 784, fanOut: 10 }
 * computeFans([10, 784]);                           // { fanIn: 784, fanOut: 10 } (PyTorch shape)
 * ```
 * @category Init
 */
export function computeFans(shape: readonly number[], layout: TorchLayout = identityLayout): Fans {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new FoveaError({ op: 'computeFans', arg: 'shape', expected: 'an array of non-negative integers', got: String(shape) });
  }
  if (shape.length < 2) {
    throw new FoveaError({
      op: 'computeFans',
      arg: 'shape',
      expected: 'rank >= 2 (fans are not defined for fewer than 2 dimensions)',
      got: `shape ${formatShape(shape)}`,
    });
  }
  const t = layout.torchShape(shape);
  let receptive = 1;
  for (let i = 2; i < t.length; i++) receptive *= t[i]!;
  return { fanIn: t[1]! * receptive, fanOut: t[0]! * receptive };
}
