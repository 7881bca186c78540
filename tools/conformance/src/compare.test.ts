import { describe, expect, it } from 'vitest';
import { checkCase, formatScore, score } from './compare.js';
import type { Case } from './types.js';

const T = (data: (number | boolean | null)[], shape: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32') => ({ dtype, shape, data });

function mk(expected: Case['expected'], extra: Partial<Case> = {}): Case {
  return { id: 'x.op#0', op: 'x.op', inputs: {}, attrs: {}, grad_seed: null, expected, ...extra };
}

describe('compare (compare.py rules)', () => {
  it('applies atol + rtol·|want| elementwise', () => {
    const c = mk({ y: T([1, 100], [2]) }, { tol: { atol: 1e-3, rtol: 1e-3 } });
    expect(checkCase(c, { id: c.id, outputs: { y: T([1.0019, 100.1], [2]) } }).ok).toBe(true);
    const v = checkCase(c, { id: c.id, outputs: { y: T([1.0021, 100], [2]) } });
    expect(v.ok).toBe(false);
    expect(v.why).toMatch(/y: max abs err 0.0021 \(at 0: got 1.0021, want 1\)/);
  });

  it('defaults to 1e-4 tolerances', () => {
    const c = mk({ y: T([1], [1]) });
    expect(checkCase(c, { id: c.id, outputs: { y: T([1.0002], [1]) } }).ok).toBe(true);
    expect(checkCase(c, { id: c.id, outputs: { y: T([1.00021], [1]) } }).ok).toBe(false);
  });

  it('compares integers and booleans exactly, and shapes strictly', () => {
    const c = mk({ keep: T([0, 2], [2], 'int32') });
    expect(checkCase(c, { id: c.id, outputs: { keep: T([0, 2], [2], 'int32') } }).ok).toBe(true);
    expect(checkCase(c, { id: c.id, outputs: { keep: T([0, 1], [2], 'int32') } }).why).toBe('keep: 1 of 2 entries differ');
    expect(checkCase(c, { id: c.id, outputs: { keep: T([0, 2, 3], [3], 'int32') } }).why).toBe('keep: shape [3] != [2]');
    const b = mk({ m: T([true, false], [2], 'bool') });
    expect(checkCase(b, { id: b.id, outputs: { m: T([true, true], [2], 'bool') } }).ok).toBe(false);
  });

  it('sorts rows for unordered_rows and rejects non-finite values', () => {
    const c = mk({ r: T([1, 2, 0, 5], [2, 2]) }, { compare: 'unordered_rows' });
    expect(checkCase(c, { id: c.id, outputs: { r: T([0, 5, 1, 2], [2, 2]) } }).ok).toBe(true);
    const f = mk({ y: T([1], [1]) });
    expect(checkCase(f, { id: f.id, outputs: { y: T([null], [1]) } }).why).toBe('y: non-finite values');
  });

  it('handles errors, expected errors, unsupported ops and missing outputs', () => {
    const c = mk({ y: T([1], [1]) });
    expect(checkCase(c, undefined).why).toBe('no result');
    expect(checkCase(c, { id: c.id, error: 'unsupported op x.op' }).why).toBe('unsupported op');
    expect(checkCase(c, { id: c.id, error: 'boom' }).why).toBe('error: boom');
    expect(checkCase(c, { id: c.id, outputs: {} }).why).toBe('missing output y');
    const e = mk({}, { expect_error: true });
    expect(checkCase(e, { id: e.id, error: 'nms: boxes must be [N, 4]' }).ok).toBe(true);
    expect(checkCase(e, { id: e.id, outputs: {} }).ok).toBe(false);
    expect(checkCase(e, { id: e.id, error: 'unsupported op x.op' }).ok).toBe(false);
    expect(checkCase(c, { id: c.id, outputs: { y: T([1, 2], [1]) } }).why).toMatch(/^malformed result/);
  });

  it('scores a file per op', () => {
    const a = mk({ y: T([1], [1]) });
    const b = { ...mk({ y: T([1], [1]) }), id: 'x.op#1' };
    const s = score({ format: 'fovea-conformance/1', package: 'x', cases: [a, b] }, {
      format: 'fovea-conformance-results/1',
      backend: 'cpu',
      results: [{ id: a.id, outputs: { y: T([1], [1]) } }, { id: b.id, error: 'unsupported op x.op' }],
    });
    expect([s.passed, s.failed, s.unsupported]).toEqual([1, 1, 1]);
    expect(formatScore(s)).toMatch(/FAIL x\.op\s+1\/2.*x\.op#1: unsupported op\n1 passed, 1 failed$/);
  });
});
