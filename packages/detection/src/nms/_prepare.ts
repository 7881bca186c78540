/** Private: the validation and read-back shared by the NMS ops. */
import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkTensor, type DimBindings } from '@fovea/core';
import { checkBoxesTensor, checkBoxRows, checkScoreValues } from '../_internal/boxes.js';
import { argsortDesc } from '../_internal/sort.js';

/** Candidate selection shared by the NMS ops. @category NMS */
export interface CandidateOptions {
  /** Only boxes scoring strictly above this are considered; default: all. */
  scoreThreshold?: number;
  /** Only the this-many best-scoring boxes are considered (before suppression); default: all. */
  preNmsTopK?: number;
  /** At most this many boxes are kept (the best-scoring survivors); default: all. */
  topK?: number;
}

/** What the NMS ops read back. */
export interface Candidates {
  boxes: Float32Array;
  scores: Float32Array;
  /** Candidate indices by decreasing score (ties by index), after the score threshold and preNmsTopK. */
  order: Int32Array;
  /** The topK option (Infinity when absent). */
  topK: number;
}

/** Checks shapes and options synchronously. */
export function checkNmsArgs(op: string, boxes: unknown, scores: unknown, opts: CandidateOptions, dims: DimBindings = {}): void {
  checkBoxesTensor(op, 'boxes', boxes, dims);
  checkTensor(op, 'scores', scores, { shape: ['N'], dtype: 'float32' }, dims);
  if (opts.scoreThreshold !== undefined) checkNumber(op, 'options.scoreThreshold', opts.scoreThreshold);
  if (opts.preNmsTopK !== undefined && opts.preNmsTopK !== Infinity) {
    checkNumber(op, 'options.preNmsTopK', opts.preNmsTopK, { integer: true, min: 0 });
  }
  if (opts.topK !== undefined && opts.topK !== Infinity) checkNumber(op, 'options.topK', opts.topK, { integer: true, min: 0 });
}

/** Reads boxes and scores back, validates their values and orders the candidates. */
export async function readCandidates(op: string, boxes: tf.Tensor, scores: tf.Tensor, opts: CandidateOptions): Promise<Candidates> {
  const [b, s] = (await Promise.all([boxes.data(), scores.data()])) as [Float32Array, Float32Array];
  checkBoxRows(op, 'boxes', b);
  checkScoreValues(op, 'scores', s);
  let subset: Int32Array | undefined;
  if (opts.scoreThreshold !== undefined) {
    const thr = opts.scoreThreshold;
    const pass: number[] = [];
    for (let i = 0; i < s.length; i++) if (s[i]! > thr) pass.push(i);
    subset = Int32Array.from(pass);
  }
  let order = argsortDesc(s, subset);
  const pre = opts.preNmsTopK ?? Infinity;
  if (order.length > pre) order = order.slice(0, pre);
  return { boxes: b, scores: s, order, topK: opts.topK ?? Infinity };
}
