/** Private helper: the up/down-sampling plan shared by the DCGAN generator and discriminator. */
import { FoveaError, formatShape } from '@fovea/core';
import { checkImageShape } from '../_internal/args.js';

/** How many ×2 stages lead from a `s0 × s0` start (s0 ≥ 4, as small as possible) to `H × W`. */
export interface StagePlan {
  /** `[H, W, C]`. */
  shape: [number, number, number];
  /** Number of stride-2 stages `L`. */
  stages: number;
  /** Start size `s0 = H / 2^L`. */
  s0: number;
}

/** Square images whose side halves (exactly) at least once down to ≥ 4: 28 → 7, 32 → 4, 64 → 4. */
export function stagePlan(op: string, imageShape: unknown): StagePlan {
  const shape = checkImageShape(op, 'options.imageShape', imageShape);
  const [h, w] = shape;
  let stages = 0;
  while (h % 2 ** (stages + 1) === 0 && h / 2 ** (stages + 1) >= 4) stages++;
  if (h !== w || stages === 0) {
    throw new FoveaError({ op, arg: 'options.imageShape', expected: 'a square [S, S, C] with S = s0·2^L, s0 ≥ 4, L ≥ 1 (28, 32, 64, …)', got: formatShape(shape) });
  }
  return { shape, stages, s0: h / 2 ** stages };
}
