/** Private: torchvision's `conv3x3` / `conv1x1` and the downsample branch of a residual block. */
import { Sequential, type Generator } from '@fovea/core';
import { Conv2d } from '../conv/conv2d.js';
import { BatchNorm2d } from '../norm/batch-norm.js';

/** Random source option shared by the block constructors. */
export type Gen = { generator?: Generator };

/** torchvision `conv3x3`: 3×3, padding = dilation, no bias. */
export function conv3x3(cin: number, cout: number, stride = 1, groups = 1, dilation = 1, gen: Gen = {}): Conv2d {
  return new Conv2d(cin, cout, 3, { stride, padding: dilation, groups, dilation, bias: false, ...gen });
}

/** torchvision `conv1x1`: 1×1, no bias. */
export function conv1x1(cin: number, cout: number, stride = 1, gen: Gen = {}): Conv2d {
  return new Conv2d(cin, cout, 1, { stride, bias: false, ...gen });
}

/** torchvision's downsample branch: `Sequential(conv1x1(cin, cout, stride), BatchNorm2d(cout))` (keys `0.weight`, `1.*`). */
export function downsampleBranch(cin: number, cout: number, stride: number, gen: Gen = {}): Sequential {
  return new Sequential(conv1x1(cin, cout, stride, gen), new BatchNorm2d(cout));
}
