import type * as tf from '@tensorflow/tfjs-core';
import type { JsonTensor } from './tensor-json.js';

/** One case of a `fovea-conformance/1` file. */
export interface Case {
  id: string;
  op: string;
  inputs: Record<string, JsonTensor>;
  attrs: Record<string, unknown>;
  grad_seed: Record<string, JsonTensor> | null;
  expected: Record<string, JsonTensor>;
  tol?: { atol?: number; rtol?: number };
  compare?: 'allclose' | 'exact' | 'unordered_rows';
  expect_error?: boolean;
  note?: string;
}

/** A `fovea-conformance/1` case file. */
export interface CaseFile {
  format: string;
  package: string;
  reference?: string;
  cases: Case[];
}

/** One result of a `fovea-conformance-results/1` file. */
export interface CaseResult {
  id: string;
  outputs?: Record<string, JsonTensor>;
  error?: string;
  ms?: number;
}

/** A `fovea-conformance-results/1` file. */
export interface ResultsFile {
  format: 'fovea-conformance-results/1';
  backend: string;
  results: CaseResult[];
}

/** What a handler receives: the case's inputs as tensors (PyTorch layouts), its attrs and seeds. */
export interface OpContext {
  /** The case being run. */
  readonly case: Case;
  /** Inputs as tensors, in the layouts `ops/<package>.md` gives (PyTorch's). Owned by the runner. */
  readonly inputs: Record<string, tf.Tensor>;
  /** The case's attrs. */
  readonly attrs: Record<string, unknown>;
  /** Upstream gradients by output name, or null. Owned by the runner. */
  readonly gradSeed: Record<string, tf.Tensor> | null;
  /** Names of the expected outputs, including `grad:<input>` entries. */
  readonly wanted: string[];
}

/**
 * Computes a case's outputs (PyTorch layouts, any dtype: the runner casts to
 * what `expected` lists). Returned tensors are disposed by the runner.
 */
export type OpHandler = (ctx: OpContext) => Promise<Record<string, tf.Tensor>> | Record<string, tf.Tensor>;
