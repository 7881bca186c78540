import { FoveaError, checkNumber } from '@fovea/core';

/** One layer for {@link receptiveField}. @category Sizes */
export interface ReceptiveFieldLayer {
  /** Kernel length. */
  kernel: number;
  /** Stride; default 1. */
  stride?: number;
  /** Dilation; default 1. */
  dilation?: number;
}

/**
 * The receptive field of a stack of convolutions/poolings along one
 * dimension: how many input pixels one output pixel sees,
 * `r = 1 + Σ_l (d_l(k_l - 1)) · Π_{m<l} s_m` (layers in order from input to output).
 *
 * @param kernels kernel lengths, or full layer descriptions (with stride and dilation).
 * @param strides strides, one per layer (when `kernels` are plain numbers); default all 1.
 * @returns the receptive field in input pixels.
 * @example
 * ```ts
 * import { receptiveField } from '@fovea/layers';
 * receptiveField([3, 3, 3]); // 7: three 3×3 convs see 7×7
 * receptiveField([7, 3, 3, 3], [2, 2, 1, 2]); // 27
 * receptiveField([{ kernel: 3, dilation: 2 }]); // 5
 * ```
 * @category Sizes
 */
export function receptiveField(kernels: readonly (number | ReceptiveFieldLayer)[], strides?: readonly number[]): number {
  const op = 'receptiveField';
  if (!Array.isArray(kernels)) throw new FoveaError({ op, arg: 'kernels', expected: 'an array', got: typeof kernels });
  if (strides !== undefined && (!Array.isArray(strides) || strides.length !== kernels.length)) {
    throw new FoveaError({ op, arg: 'strides', expected: `an array of ${kernels.length} strides`, got: Array.isArray(strides) ? `${strides.length}` : typeof strides });
  }
  let r = 1;
  let jump = 1;
  kernels.forEach((layer, i) => {
    const l = typeof layer === 'number' ? { kernel: layer, stride: strides?.[i] ?? 1 } : layer;
    const k = checkNumber(op, `kernels[${i}]`, l.kernel, { integer: true, min: 1 });
    const s = checkNumber(op, strides ? `strides[${i}]` : `kernels[${i}].stride`, l.stride ?? strides?.[i] ?? 1, { integer: true, min: 1 });
    const d = checkNumber(op, `kernels[${i}].dilation`, l.dilation ?? 1, { integer: true, min: 1 });
    r += d * (k - 1) * jump;
    jump *= s;
  });
  return r;
}
