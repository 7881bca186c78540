/**
 * WASM threads in Node: a child process per thread count (the thread count
 * is chosen when the backend starts, once per process) trains a small CNN a
 * few steps; with FOVEA_WASM_THREADS=2 it must run on 2 threads, reach the
 * single-threaded losses, and exit on its own. Bad thread counts are
 * rejected with a FoveaError.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFoveaError } from '../errors/fovea-error.js';
import { initBackend } from './init-backend.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const child = fileURLToPath(new URL('../../fixtures/wasm-threads-child.ts', import.meta.url));

interface ChildResult {
  summary: string;
  wasmThreads: number;
  losses: number[];
}

function train(threads: string): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', child], {
    cwd: repo,
    env: { ...process.env, FOVEA_BACKEND: 'wasm', FOVEA_WASM_THREADS: threads },
    encoding: 'utf8',
    timeout: 300_000, // a child kept alive by its workers is killed here and fails below
  });
  expect(r.error, `spawn: ${r.error?.message}`).toBeUndefined();
  expect(r.signal, `the child did not exit on its own; stderr:\n${r.stderr}`).toBeNull();
  expect(r.status, r.stderr).toBe(0);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as ChildResult;
}

describe('wasm threads in Node', () => {
  it('trains a CNN on 2 threads to the single-threaded losses and exits on its own', () => {
    const one = train('1');
    const two = train('2');
    expect(one.wasmThreads).toBe(1);
    expect(one.summary).toBe('backend wasm (forced)');
    expect(two.wasmThreads).toBe(2);
    expect(two.summary).toBe('backend wasm, 2 threads (forced)');
    expect(two.losses).toHaveLength(4);
    expect(two.losses[3]!).toBeLessThan(two.losses[0]!);
    for (let i = 0; i < 4; i++) expect(Math.abs(two.losses[i]! - one.losses[i]!)).toBeLessThanOrEqual(1e-5);
  }, 600_000);

  it('rejects a thread count that is not a positive integer', async () => {
    for (const bad of [0, 1.5, -2, Number.NaN]) {
      const err = await initBackend({ wasmThreads: bad }).catch((e: unknown) => e);
      expect(isFoveaError(err)).toBe(true);
      expect((err as Error).message).toContain('options.wasmThreads');
    }
  });

  it('rejects a bad FOVEA_WASM_THREADS in a fresh process', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', child], {
      cwd: repo,
      env: { ...process.env, FOVEA_BACKEND: 'wasm', FOVEA_WASM_THREADS: 'two' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('FOVEA_WASM_THREADS');
    expect(r.stderr).toContain("'two'");
  }, 200_000);
});
