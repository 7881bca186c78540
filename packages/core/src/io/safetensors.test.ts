import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@fovea/test-utils';
import { FoveaError } from '../errors/fovea-error.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { loadSafetensors, saveSafetensors } from './files.js';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

function torchAvailable(): boolean {
  if (!existsSync('/usr/bin/python3')) return false;
  return spawnSync('/usr/bin/python3', ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0;
}

/** A safetensors file with the given header object and data length. */
function fileWith(header: unknown, dataLen: number, headerLenOverride?: number): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + dataLen);
  new DataView(out.buffer).setUint32(0, headerLenOverride ?? h.length, true);
  out.set(h, 8);
  return out;
}

function errorOf(fn: () => unknown): FoveaError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FoveaError);
    return e as FoveaError;
  }
  throw new Error('expected a FoveaError');
}

describe('safetensors', () => {
  it('round-trips float32, int32 and bool tensors with metadata', async () => {
    const a = tf.tensor2d([[1.5, -2], [3, 4e-8]]);
    const b = tf.tensor1d([-7, 2147483647], 'int32');
    const c = tf.tensor1d([true, false, true], 'bool');
    const e = tf.zeros([0, 3]);
    const bytes = await encodeSafetensors({ a, b, c, e }, { format: 'pt' });
    expect(new DataView(bytes.buffer).getUint32(0, true) % 8).toBe(0);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(Object.keys(tensors)).toEqual(['a', 'b', 'c', 'e']);
    expectClose(tensors.a!, a, { atol: 0, rtol: 0 });
    expect(Array.from(tensors.b!.dataSync())).toEqual([-7, 2147483647]);
    expect(tensors.c!.dtype).toBe('bool');
    expect(Array.from(tensors.c!.dataSync())).toEqual([1, 0, 1]);
    expect(tensors.e!.shape).toEqual([0, 3]);
    tf.dispose([a, b, c, e, ...Object.values(tensors)]);
  });

  it('reads a file written from PyTorch (F32, I64 num_batches_tracked, F16, BF16, F64, BOOL, I8)', () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'torch_state.safetensors')));
    const want = JSON.parse(readFileSync(join(fixtures, 'torch_state.json'), 'utf8')) as Record<string, { dtype: string; shape: number[]; data: number[] }>;
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata.format).toBe('pt');
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(want).sort());
    for (const [k, w] of Object.entries(want)) {
      const t = tensors[k]!;
      expect(t.shape, k).toEqual(w.shape);
      const dtype = w.dtype.startsWith('float') || w.dtype === 'bfloat16' ? 'float32' : w.dtype === 'bool' ? 'bool' : 'int32';
      expect(t.dtype, k).toBe(dtype);
      expectClose(t, w.data.map(Number), { atol: 0, rtol: 1e-7 });
    }
    expect(Array.from(tensors['bn1.num_batches_tracked']!.dataSync())).toEqual([7]);
    tf.dispose(Object.values(tensors));
  });

  it('writes files that PyTorch reads and loads into torchvision’s BasicBlock', async () => {
    const want = JSON.parse(readFileSync(join(fixtures, 'torch_state.json'), 'utf8')) as Record<string, { dtype: string; shape: number[]; data: number[] }>;
    const keep = Object.entries(want).filter(([k]) => !['half', 'bf16', 'f64', 'i8'].includes(k));
    const tensors: Record<string, tf.Tensor> = {};
    for (const [k, w] of keep) {
      const dtype = w.dtype === 'float32' ? 'float32' : w.dtype === 'bool' ? 'bool' : 'int32';
      tensors[k] = tf.tensor(w.data.map(Number), w.shape, dtype);
    }
    const dir = mkdtempSync(join(tmpdir(), 'fovea-st-'));
    const file = join(dir, 'ours.safetensors');
    await saveSafetensors(file, tensors, { format: 'pt' });
    const back = await loadSafetensors(file);
    for (const [k] of keep) expectClose(back.tensors[k]!, tensors[k]!, { atol: 0, rtol: 0 });
    tf.dispose([...Object.values(tensors), ...Object.values(back.tensors)]);
    if (!torchAvailable()) {
      console.warn('safetensors: /usr/bin/python3 without torch, PyTorch-side check skipped (round trip and fixture checked)');
      return;
    }
    const wantFile = join(dir, 'want.json');
    writeFileSync(wantFile, JSON.stringify(Object.fromEntries(keep)));
    const out = execFileSync('/usr/bin/python3', [join(fixtures, 'safetensors_io.py'), 'check', file, wantFile], { encoding: 'utf8' });
    expect(out).toMatch(/^ok \d+ tensors/);
  });

  it('rejects truncated files and lying headers with the byte offset', () => {
    expect(errorOf(() => decodeSafetensors(new Uint8Array(5), { source: 'w.safetensors' })).message).toMatch(
      /w\.safetensors at byte 0 must be an 8-byte header length, got a 5-byte file/,
    );
    const ok = fileWith({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 8);
    expect(() => tf.dispose(Object.values(decodeSafetensors(ok).tensors))).not.toThrow();
    expect(errorOf(() => decodeSafetensors(ok.subarray(0, ok.length - 3))).message).toMatch(/end offset 8 \(truncated file/);
    expect(errorOf(() => decodeSafetensors(fileWith({}, 0, 1000))).message).toMatch(/header length <= \d+.*got 1000/);
    expect(errorOf(() => decodeSafetensors(fileWith('x', 0))).message).toMatch(/JSON object header/);
    const garbage = fileWith({}, 0);
    garbage[9] = 0x7b;
    garbage[8] = 0x5b;
    expect(errorOf(() => decodeSafetensors(garbage)).message).toMatch(/at byte 8 must be a UTF-8 JSON header/);
    expect(errorOf(() => decodeSafetensors(fileWith({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8))).message).toMatch(
      /tensor 'w' of F32 \[3\] to span 12 bytes, got data_offsets \[0, 8\]/,
    );
    expect(errorOf(() => decodeSafetensors(fileWith({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, 1))).message).toMatch(/dtype one of/);
    expect(errorOf(() => decodeSafetensors(fileWith({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4))).message).toMatch(/shape a list of non-negative/);
  });

  it('rejects overlapping, non-contiguous and trailing data and out-of-range int64 values', () => {
    const overlap = fileWith(
      { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
      12,
    );
    expect(errorOf(() => decodeSafetensors(overlap)).message).toMatch(/tensor 'b' not to overlap 'a'/);
    const gap = fileWith({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8);
    expect(errorOf(() => decodeSafetensors(gap)).message).toMatch(/a gap of 4 bytes before 'a'/);
    const trailing = fileWith({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 8);
    expect(errorOf(() => decodeSafetensors(trailing)).message).toMatch(/4 trailing bytes/);
    const big = fileWith({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8);
    const hdr = new DataView(big.buffer).getUint32(0, true);
    new DataView(big.buffer).setBigInt64(8 + hdr, 2n ** 40n, true);
    const before = tf.memory().numTensors;
    expect(errorOf(() => decodeSafetensors(big)).message).toMatch(/values within int32, got 1099511627776/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('writes float32 as F16 or BF16 when asked: IEEE bits rounded to nearest even, read back by the decoder', async () => {
    const values = [1, -2, 0.1, 65504, 65520, 1e-8, 6e-8, 3.14159, Infinity, -0, 2.0009765625];
    const t = tf.tensor1d(values);
    const bits = (bytes: Uint8Array, n: number) => {
      const headerLen = new DataView(bytes.buffer).getUint32(0, true);
      return Array.from(new Uint16Array(bytes.slice(8 + headerLen, 8 + headerLen + 2 * n).buffer));
    };
    const f16 = await encodeSafetensors({ t }, {}, { floatDtype: 'F16' });
    // 65520 is halfway between 65504 and 65536: ties to even → inf; 2.0009765625 = 2 + 2^-10 is a tie → 2
    expect(bits(f16, values.length)).toEqual([0x3c00, 0xc000, 0x2e66, 0x7bff, 0x7c00, 0x0000, 0x0001, 0x4248, 0x7c00, 0x8000, 0x4000]);
    const bf16 = await encodeSafetensors({ t }, {}, { floatDtype: 'BF16' });
    expect(bits(bf16, 4)).toEqual([0x3f80, 0xc000, 0x3dcd, 0x4780]);
    const back = decodeSafetensors(f16).tensors['t']!;
    expect(back.dtype).toBe('float32');
    tf.tidy(() => expectClose(tf.slice(back, 0, 4), [1, -2, 0.0999755859375, 65504], { atol: 0 }));
    const nan = tf.tensor1d([NaN]);
    const n16 = decodeSafetensors(await encodeSafetensors({ nan }, {}, { floatDtype: 'F16' })).tensors['nan']!;
    expect(Number.isNaN((await n16.data())[0])).toBe(true);
    await expect(encodeSafetensors({ t }, {}, { floatDtype: 'F8' as never })).rejects.toThrow("encodeSafetensors: options.floatDtype must be one of 'F32', 'F16', 'BF16'");
    tf.dispose([t, back, nan, n16, ...Object.values(decodeSafetensors(bf16).tensors)]);
  });

  it('rejects disposed tensors and unsupported dtypes when encoding', async () => {
    const t = tf.tensor1d(['a'], 'string');
    await expect(encodeSafetensors({ t })).rejects.toThrow(/dtype float32, int32 or bool, got dtype string/);
    t.dispose();
    await expect(encodeSafetensors({ t })).rejects.toThrow(FoveaError);
  });
});
