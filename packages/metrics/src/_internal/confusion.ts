import { checkNumber, FoveaError, formatShape } from '@fovea/core';
import { checkLabelRange, readInput, type MetricInput } from './input.js';

/** Reads `[N]` predicted and true labels and checks they agree in length. @internal */
export async function readLabelPair(
  op: string,
  preds: MetricInput,
  targets: MetricInput,
): Promise<{ p: ArrayLike<number>; t: ArrayLike<number> }> {
  const p = await readInput(op, 'preds', preds, { rank: 1, kind: 'int' });
  const t = await readInput(op, 'targets', targets, { rank: 1, kind: 'int' });
  if (p.shape[0] !== t.shape[0]) {
    throw new FoveaError({
      op,
      arg: 'targets',
      expected: `the length of preds (${p.shape[0]})`,
      got: `shape ${formatShape(t.shape)}`,
    });
  }
  return { p: p.data, t: t.data };
}

/** Validates an optional class count. @internal */
export function checkNumClasses(op: string, v: unknown, required: boolean): number | undefined {
  if (v === undefined && !required) return undefined;
  return checkNumber(op, 'options.numClasses', v, { integer: true, min: 1 });
}

/**
 * Adds `preds`/`targets` label pairs into a row-major `[C, C]` count matrix
 * (`cm[t * C + p]`, rows = true class), checking labels are in `[0, C)`.
 * @internal
 */
export function addConfusion(op: string, cm: Float64Array, c: number, p: ArrayLike<number>, t: ArrayLike<number>): void {
  checkLabelRange(op, 'preds', { data: p, shape: [p.length] }, c);
  checkLabelRange(op, 'targets', { data: t, shape: [t.length] }, c);
  for (let i = 0; i < p.length; i++) cm[t[i]! * c + p[i]!]! += 1;
}

/** The class count implied by labels: `max + 1` (at least 1). @internal */
export function inferNumClasses(p: ArrayLike<number>, t: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > m) m = p[i]!;
  for (let i = 0; i < t.length; i++) if (t[i]! > m) m = t[i]!;
  return m + 1;
}

/** A `[C, C]` flat matrix as nested rows. @internal */
export function toRows(cm: ArrayLike<number>, c: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < c; i++) rows.push(Array.from({ length: c }, (_, j) => cm[i * c + j]!));
  return rows;
}
