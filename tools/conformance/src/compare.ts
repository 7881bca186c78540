/**
 * A TypeScript port of ../shared/conformance/compare.py's rules, so the test
 * suite scores results without Python. Keep it in step with compare.py.
 */
import type { Case, CaseFile, CaseResult, ResultsFile } from './types.js';
import type { JsonTensor } from './tensor-json.js';

/** The verdict on one case. */
export interface CaseVerdict {
  ok: boolean;
  why: string;
  worst: number | null;
}

function toNumbers(t: JsonTensor): number[] {
  if (!t || !Array.isArray(t.data) || !Array.isArray(t.shape)) throw new Error('not a tensor');
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== n) throw new Error(`cannot reshape array of size ${t.data.length} into shape (${t.shape.join(', ')})`);
  return t.data.map((v) => {
    if (v === null) {
      if (t.dtype !== 'float32') throw new Error('null in an integer or boolean tensor');
      return NaN;
    }
    if (t.dtype === 'bool') return v ? 1 : 0;
    return t.dtype === 'int32' ? Math.trunc(Number(v)) : Number(v);
  });
}

function sortRows(data: number[], shape: number[]): number[] {
  const n = shape[0]!;
  const w = n ? data.length / n : 0;
  const rows = Array.from({ length: n }, (_, i) => data.slice(i * w, (i + 1) * w));
  rows.sort((a, b) => {
    for (let j = 0; j < w; j++) if (a[j] !== b[j]) return a[j]! < b[j]! ? -1 : 1;
    return 0;
  });
  return rows.flat();
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v);
}

/** Scores one case against its result (never throws). */
export function checkCase(c: Case, r: CaseResult | undefined): CaseVerdict {
  try {
    return check(c, r);
  } catch (e) {
    return { ok: false, why: `malformed result: ${(e as Error).message.slice(0, 120)}`, worst: null };
  }
}

function check(c: Case, r: CaseResult | undefined): CaseVerdict {
  if (!r) return { ok: false, why: 'no result', worst: null };
  const err = String(r.error ?? '');
  if (err.startsWith('unsupported op')) return { ok: false, why: 'unsupported op', worst: null };
  if (c.expect_error) return { ok: 'error' in r, why: 'error' in r ? '' : 'expected an error, got outputs', worst: null };
  if ('error' in r) return { ok: false, why: `error: ${err.slice(0, 160)}`, worst: null };
  const outs = r.outputs ?? {};
  const atol = c.tol?.atol ?? 1e-4;
  const rtol = c.tol?.rtol ?? 1e-4;
  const mode = c.compare ?? 'allclose';
  let worst = 0;
  for (const [name, wantT] of Object.entries(c.expected)) {
    if (!(name in outs)) return { ok: false, why: `missing output ${name}`, worst: null };
    const gotT = outs[name]!;
    let want = toNumbers(wantT);
    let got = toNumbers(gotT);
    const ws = wantT.shape;
    const gs = gotT.shape;
    if (ws.length !== gs.length || ws.some((d, i) => d !== gs[i])) {
      return { ok: false, why: `${name}: shape [${gs.join(', ')}] != [${ws.join(', ')}]`, worst: null };
    }
    if (mode === 'unordered_rows' && ws.length >= 2 && ws[0]! > 0) {
      want = sortRows(want, ws);
      got = sortRows(got, gs);
    }
    if (mode === 'exact' || wantT.dtype === 'int32' || wantT.dtype === 'bool') {
      const bad = want.filter((v, i) => !(v === got[i])).length;
      if (bad) return { ok: false, why: `${name}: ${bad} of ${want.length} entries differ`, worst: null };
      continue;
    }
    if (!got.every(Number.isFinite)) return { ok: false, why: `${name}: non-finite values`, worst: null };
    let maxErr = 0;
    let worstIdx = -1;
    let worstExcess = -Infinity;
    for (let i = 0; i < want.length; i++) {
      const e = Math.abs(got[i]! - want[i]!);
      maxErr = Math.max(maxErr, e);
      const excess = e - (atol + rtol * Math.abs(want[i]!));
      if (excess > worstExcess) {
        worstExcess = excess;
        worstIdx = i;
      }
    }
    worst = Math.max(worst, maxErr);
    if (worstExcess > 0) {
      return {
        ok: false,
        why: `${name}: max abs err ${fmt(maxErr)} (at ${worstIdx}: got ${fmt(got[worstIdx]!)}, want ${fmt(want[worstIdx]!)})`,
        worst,
      };
    }
  }
  return { ok: true, why: '', worst };
}

/** Per-op tallies for a case file. */
export interface OpScore {
  op: string;
  n: number;
  ok: number;
  worst: number;
  why: string;
}

/** The score of a results file against a case file. */
export interface Score {
  passed: number;
  failed: number;
  unsupported: number;
  ops: OpScore[];
}

/** Scores a whole results file (compare.py's main). */
export function score(cases: CaseFile, results: ResultsFile): Score {
  const byId = new Map(results.results.map((r) => [r.id, r]));
  const perOp = new Map<string, OpScore>();
  let passed = 0;
  let failed = 0;
  let unsupported = 0;
  for (const c of cases.cases) {
    const v = checkCase(c, byId.get(c.id));
    const s = perOp.get(c.op) ?? { op: c.op, n: 0, ok: 0, worst: 0, why: '' };
    perOp.set(c.op, s);
    s.n++;
    if (v.ok) {
      s.ok++;
      passed++;
    } else {
      failed++;
      if (v.why === 'unsupported op') unsupported++;
      s.why ||= `${c.id}: ${v.why}`;
    }
    if (v.worst !== null) s.worst = Math.max(s.worst, v.worst);
  }
  return { passed, failed, unsupported, ops: [...perOp.values()].sort((a, b) => (a.op < b.op ? -1 : 1)) };
}

/** compare.py's printout: one line per op, then `N passed, N failed`. */
export function formatScore(s: Score): string {
  const lines = s.ops.map(
    (o) => `${o.ok === o.n ? 'ok  ' : 'FAIL'} ${o.op.padEnd(45)} ${String(o.ok).padStart(3)}/${String(o.n).padEnd(3)} worst ${o.worst.toPrecision(2)}  ${o.why}`,
  );
  lines.push(`${s.passed} passed, ${s.failed} failed`);
  return lines.join('\n');
}
