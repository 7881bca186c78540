import * as tf from '@tensorflow/tfjs-core';
import { handlers } from './registry.js';
import { fromJson, toJson } from './tensor-json.js';
import type { Case, CaseFile, CaseResult, OpContext, ResultsFile } from './types.js';

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

async function runOnce(c: Case): Promise<Record<string, tf.Tensor>> {
  const handler = handlers[c.op];
  if (!handler) throw new UnsupportedOp(c.op);
  const inputs: Record<string, tf.Tensor> = {};
  const gradSeed: Record<string, tf.Tensor> | null = c.grad_seed ? {} : null;
  try {
    for (const [k, v] of Object.entries(c.inputs ?? {})) inputs[k] = fromJson(v);
    for (const [k, v] of Object.entries(c.grad_seed ?? {})) gradSeed![k] = fromJson(v);
    const ctx: OpContext = { case: c, inputs, attrs: c.attrs ?? {}, gradSeed, wanted: Object.keys(c.expected ?? {}) };
    const out = await handler(ctx);
    // outputs must not alias inputs the runner disposes
    const safe: Record<string, tf.Tensor> = {};
    const inputSet = new Set([...Object.values(inputs), ...Object.values(gradSeed ?? {})]);
    for (const [k, v] of Object.entries(out)) safe[k] = inputSet.has(v) ? v.clone() : v;
    return safe;
  } finally {
    tf.dispose([...Object.values(inputs), ...Object.values(gradSeed ?? {})]);
  }
}

class UnsupportedOp extends Error {
  constructor(op: string) {
    super(`unsupported op ${op}`);
  }
}

/**
 * Tensors a case left alive (a library or handler leak, e.g. on an error
 * path), by case id; the lanes report them. The runner frees what it can.
 */
export const leaks = new Map<string, number>();

/** Runs one case: first call for outputs, second call timed. Never throws. */
export async function runCase(c: Case): Promise<CaseResult> {
  const before = tf.memory().numTensors;
  const engine = tf.engine();
  engine.startScope();
  try {
    return await runCaseInScope(c);
  } finally {
    engine.endScope();
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) leaks.set(c.id, leaked);
  }
}

async function runCaseInScope(c: Case): Promise<CaseResult> {
  let out: Record<string, tf.Tensor> = {};
  try {
    out = await runOnce(c);
    const outputs: CaseResult['outputs'] = {};
    for (const [name, want] of Object.entries(c.expected ?? {})) {
      const t = out[name];
      if (!t) continue; // the scorer reports the missing output
      outputs[name] = await toJson(t, want.dtype);
    }
    tf.dispose(Object.values(out));
    out = {};
    const t0 = now();
    const again = await runOnce(c);
    await Promise.all(Object.values(again).map((t) => t.data()));
    const ms = now() - t0;
    tf.dispose(Object.values(again));
    return { id: c.id, outputs, ms: Math.round(ms * 1000) / 1000 };
  } catch (e) {
    tf.dispose(Object.values(out));
    const msg = e instanceof Error ? e.message : String(e);
    return { id: c.id, error: msg };
  }
}

/** Options for {@link runCaseFile}. */
export interface RunOptions {
  /** Called after each case (progress). */
  onResult?: (r: CaseResult, i: number, n: number) => void;
  /** Only run cases whose op starts with this prefix. */
  filter?: string;
}

/** Runs every case of a file on the current backend. */
export async function runCaseFile(file: CaseFile, backend: string, opts: RunOptions = {}): Promise<ResultsFile> {
  const results: CaseResult[] = [];
  const cases = file.cases.filter((c) => !opts.filter || c.op.startsWith(opts.filter));
  for (let i = 0; i < cases.length; i++) {
    const r = await runCase(cases[i]!);
    results.push(r);
    opts.onResult?.(r, i, cases.length);
  }
  return { format: 'fovea-conformance-results/1', backend, results };
}
