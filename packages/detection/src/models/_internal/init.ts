/** Weight initialisation helpers of the detection heads (private). */
import * as tf from '@tensorflow/tfjs-core';
import { smallRandom, type Generator } from '@fovea/core';
import type { Conv2d, Linear } from '@fovea/layers';

/** `weight ~ N(0, std²)`, `bias = value` (torchvision's head init: `normal_(std=0.01)`, `constant_(bias, 0)`). */
export function initNormal(layer: Conv2d | Linear, std: number, generator: Generator | undefined, bias = 0): void {
  smallRandom(layer.weight, { std, ...(generator ? { generator } : {}) });
  if (layer.bias) tf.tidy(() => layer.bias!.assign(tf.fill(layer.bias!.shape, bias)));
}

/** The generator option spread (`{}` when absent). */
export function genOpt(generator: Generator | undefined): { generator?: Generator } {
  return generator ? { generator } : {};
}
