/**
 * The conformance lane: every case file in ../shared/conformance/cases runs
 * through the runner on this lane's backend (FOVEA_BACKEND) and is scored with
 * compare.py's rules. Packages listed in claimed.json must pass every case;
 * the others are reported.
 */
import { existsSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { formatScore, score } from '../compare.js';
import { leaks, runCaseFile } from '../runner.js';
import type { CaseFile } from '../types.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
const shared = process.env.FOVEA_SHARED ?? resolve(repo, '../shared');
const casesDir = join(shared, 'conformance/cases');
const claimed = (JSON.parse(readFileSync(resolve(here, '../../claimed.json'), 'utf8')) as { packages: string[] }).packages;
const backend = process.env.FOVEA_BACKEND ?? 'wasm';

describe(`conformance on ${backend}`, () => {
  it('finds the shared case files', () => {
    expect(existsSync(casesDir), `${casesDir} (set FOVEA_SHARED to the shared folder)`).toBe(true);
  });

  const files = existsSync(casesDir) ? readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort() : [];
  for (const f of files) {
    const pkg = f.replace(/\.json$/, '');
    it(`${pkg}${claimed.includes(pkg) ? '' : ' (reported, not claimed yet)'}`, async () => {
      if (backend === 'webgpu') tf.env().set('WEBGPU_CPU_FORWARD', false);
      const file = JSON.parse(readFileSync(join(casesDir, f), 'utf8')) as CaseFile;
      leaks.clear();
      const results = await runCaseFile(file, backend);
      const leaked = [...leaks].map(([id, n]) => `${id}: ${n} tensor(s)`);
      if (leaked.length) console.log(`[conformance ${backend}] ${pkg}: cases that left tensors alive: ${leaked.join(', ')}`);
      const s = score(file, results);
      const outDir = resolve(repo, 'out/conformance');
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, `${pkg}.${backend}.json`), JSON.stringify(results));
      console.log(`[conformance ${backend}] ${pkg}: ${s.passed} passed, ${s.failed} failed (${s.unsupported} unsupported)\n${formatScore(s)}`);
      if (claimed.includes(pkg)) {
        const failing = s.ops.filter((o) => o.ok < o.n).map((o) => `${o.op} ${o.ok}/${o.n}: ${o.why}`);
        expect(failing, `${pkg} on ${backend}`).toEqual([]);
        expect(leaked, `${pkg} on ${backend}: leaked tensors`).toEqual([]);
      }
    }, 600_000);
  }
});
