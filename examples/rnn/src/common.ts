/** Shared bits of the examples: backend start-up, a seeded shuffle, batching, timing. */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, initBackend } from '@fovea/core';

export async function start(title: string): Promise<void> {
  const info = await initBackend();
  console.log(`${title}\n${info.summary}`);
}

/** A seeded permutation of 0..n-1. */
export function shuffled(n: number, g: Generator): number[] {
  return Array.from(g.permutation(n));
}

/** `[B, T]` int32 tensor from rows of ids. */
export function idsTensor(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');
}

/** Seconds since `t0` (ms). */
export function secs(t0: number): string {
  return ((Date.now() - t0) / 1000).toFixed(1);
}

/** Number of optimizer steps that fit in `budgetMs` given the measured ms per step, clamped. */
export function stepsFor(budgetMs: number, msPerStep: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.floor(budgetMs / Math.max(msPerStep, 1))));
}
