import { checkNumber } from '@fovea/core';

/** Options for {@link convOutputSize}. @category Sizes */
export interface ConvOutputSizeOptions {
  /** Default 1. */
  stride?: number;
  /** Zero padding on each side; default 0. */
  padding?: number;
  /** Default 1. */
  dilation?: number;
}

/**
 * The output length of a convolution or pooling along one dimension:
 * `floor((W + 2P - D(K-1) - 1)/S) + 1` (PyTorch's formula), exact in integers.
 * A result below 1 means the window does not fit.
 *
 * @param input the input length `W`.
 * @param kernel the kernel length `K`.
 * @param opts stride `S`, padding `P`, dilation `D`.
 * @returns the output length.
 * @example
 * ```ts
 * import { convOutputSize } from '@fovea/layers';
 * convOutputSize(32, 5, { stride: 2, padding: 2, dilation: 2 }); // 14
 * convOutputSize(28, 3); // 26
 * ```
 * @category Sizes
 */
export function convOutputSize(input: number, kernel: number, opts: ConvOutputSizeOptions = {}): number {
  const op = 'convOutputSize';
  const w = checkNumber(op, 'input', input, { integer: true, min: 0 });
  const k = checkNumber(op, 'kernel', kernel, { integer: true, min: 1 });
  const s = checkNumber(op, 'options.stride', opts.stride ?? 1, { integer: true, min: 1 });
  const p = checkNumber(op, 'options.padding', opts.padding ?? 0, { integer: true, min: 0 });
  const d = checkNumber(op, 'options.dilation', opts.dilation ?? 1, { integer: true, min: 1 });
  return Math.floor((w + 2 * p - d * (k - 1) - 1) / s) + 1;
}
