import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FoveaError, isFoveaError } from '../errors/fovea-error.js';
import { checkShape, checkTensor, formatShape } from './shape.js';
import { checkFinite, checkNumber, checkOneOf, checkPair, describeValue } from './values.js';

describe('FoveaError', () => {
  it('names op, argument, expectation and what came', () => tf.tidy(() => {
    const e = new FoveaError({ op: 'nms', arg: 'boxes', expected: 'shape [N, 4]', got: 'shape [3, 5]' });
    expect(e.message).toBe('nms: boxes must be shape [N, 4], got shape [3, 5]');
    expect([e.op, e.arg, e.expected, e.got]).toEqual(['nms', 'boxes', 'shape [N, 4]', 'shape [3, 5]']);
    expect(isFoveaError(e)).toBe(true);
    expect(isFoveaError(new Error('x'))).toBe(false);
  }));
});

describe('checkTensor', () => {
  it('checks type, dtype, rank and named dims across arguments', () => tf.tidy(() => {
    const boxes = tf.zeros([3, 4]);
    const scores = tf.zeros([4]);
    const dims = {};
    checkTensor('nms', 'boxes', boxes, { shape: ['N', 4], dtype: 'float32' }, dims);
    expect(dims).toEqual({ N: 3 });
    expect(() => checkTensor('nms', 'scores', scores, { shape: ['N'] }, dims)).toThrow(
      'nms: scores must be shape [N] with N = 3, got shape [4]',
    );
    expect(() => checkTensor('nms', 'boxes', tf.zeros([3, 5]), { shape: ['N', 4] })).toThrow('nms: boxes must be shape [N, 4], got shape [3, 5]');
    expect(() => checkTensor('nms', 'boxes', [1, 2], { shape: ['N', 4] })).toThrow('nms: boxes must be a tf.Tensor, got an array');
    expect(() => checkTensor('f', 'x', boxes, { dtype: 'int32' })).toThrow('f: x must be dtype int32, got dtype float32');
    expect(() => checkTensor('f', 'x', boxes, { rank: [3, 4] })).toThrow('f: x must be rank 3 or 4, got rank 2 (shape [3, 4])');
    expect(() => checkTensor('f', 'x', boxes, { minRank: 3 })).toThrow(/rank >= 3/);
    const d = tf.zeros([1]);
    d.dispose();
    expect(() => checkTensor('f', 'x', d)).toThrow(/a disposed tensor/);
    expect(() => checkShape('f', 'x', [2, 2], [null, 'N', 'N'])).toThrow(FoveaError);
    expect(() => checkShape('f', 'x', [2, 3], ['N', 'N'])).toThrow(/shape \[N, N\]/);
    expect(formatShape([1, null, 'C'])).toBe('[1, *, C]');
    tf.dispose([boxes, scores]);
  }));
});

describe('value checks', () => {
  it('check numbers, choices and pairs', () => tf.tidy(() => {
    expect(checkNumber('f', 'k', 3, { integer: true, min: 1 })).toBe(3);
    expect(() => checkNumber('f', 'k', 0, { integer: true, min: 1 })).toThrow('f: k must be an integer >= 1, got 0');
    expect(() => checkNumber('f', 'k', NaN)).toThrow('f: k must be a finite number, got NaN');
    expect(() => checkNumber('f', 'p', 1, { gt: 0, lt: 1 })).toThrow(/> 0 < 1, got 1/);
    expect(checkOneOf('f', 'mode', 'a', ['a', 'b'])).toBe('a');
    expect(() => checkOneOf('f', 'mode', 'c', ['a', 'b'])).toThrow("f: mode must be one of 'a', 'b', got 'c'");
    expect(checkPair('f', 's', 2)).toEqual([2, 2]);
    expect(checkPair('f', 's', [1, 3])).toEqual([1, 3]);
    expect(() => checkPair('f', 's', [1, 2, 3])).toThrow(/pair/);
    expect(describeValue([1, 'a', null])).toBe("[1, 'a', null]");
  }));

  it('finds the first non-finite value asynchronously', async () => {
    const ok = tf.tensor2d([[1, 2], [3, 4]]);
    await checkFinite('nms', 'scores', ok);
    const bad = tf.tensor2d([[1, 2], [NaN, 4]]);
    await expect(checkFinite('nms', 'boxes', bad)).rejects.toThrow('nms: boxes must be finite values, got NaN at row 1 (column 0)');
    const inf = tf.tensor1d([0, Infinity]);
    await expect(checkFinite('f', 'x', inf)).rejects.toThrow('got Infinity at index 1');
    tf.dispose([ok, bad, inf]);
  });
});
