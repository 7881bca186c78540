/** Running forward passes without touching BatchNorm's running statistics (private). */
import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@fovea/core';

/**
 * Runs `f` and then restores every buffer of `model` (BatchNorm's running
 * mean, variance and batch counter) to its value before the call, so a
 * training-mode forward pass made only to read values (e.g. the proposals of
 * a two-stage detector) does not count the batch twice.
 */
export async function withFrozenBuffers<T>(model: Module, f: () => Promise<T>): Promise<T> {
  const buffers = model.buffers();
  const saved = buffers.map((b) => tf.clone(b));
  try {
    return await f();
  } finally {
    buffers.forEach((b, i) => b.assign(saved[i]!));
    tf.dispose(saved);
  }
}
