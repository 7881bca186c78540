#!/usr/bin/env node
/**
 * pnpm conformance <cases.json> --out <results.json> [--backend cpu|wasm|webgpu] [--filter op-prefix] [--score]
 *
 * Runs every case through Fovea's public API on the chosen backend and
 * writes a `fovea-conformance-results/1` file. `--score` also prints the
 * per-op score (compare.py's rules).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '@fovea/core';
import { formatScore, score } from './compare.js';
import { runCaseFile } from './runner.js';
import type { CaseFile } from './types.js';

function usage(msg?: string): never {
  if (msg) console.error(`conformance: ${msg}`);
  console.error('usage: pnpm conformance <cases.json> --out <results.json> [--backend cpu|wasm|webgpu] [--filter prefix] [--score]');
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  let casesPath: string | undefined;
  let out: string | undefined;
  let backend = 'cpu';
  let filter: string | undefined;
  let doScore = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') out = argv[++i];
    else if (a === '--backend') backend = argv[++i] ?? '';
    else if (a === '--filter') filter = argv[++i];
    else if (a === '--score') doScore = true;
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else casesPath = a;
  }
  if (!casesPath) usage('no case file given');
  if (!out) usage('no --out given');
  if (!['cpu', 'wasm', 'webgpu'].includes(backend)) usage(`--backend must be cpu, wasm or webgpu, got '${backend}'`);
  const file = JSON.parse(readFileSync(casesPath, 'utf8')) as CaseFile;
  if (!file || !Array.isArray(file.cases)) usage(`${casesPath} is not a fovea-conformance file`);
  const info = await initBackend({ backend: backend as BackendName });
  if (backend === 'webgpu') tf.env().set('WEBGPU_CPU_FORWARD', false);
  console.error(`conformance: ${file.cases.length} cases of ${file.package} on ${info.summary}`);
  const t0 = Date.now();
  const results = await runCaseFile(file, backend, filter === undefined ? {} : { filter });
  writeFileSync(out, JSON.stringify(results));
  const unsupported = results.results.filter((r) => r.error?.startsWith('unsupported op')).length;
  const errors = results.results.filter((r) => r.error && !r.error.startsWith('unsupported op')).length;
  console.error(
    `conformance: wrote ${results.results.length} results to ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${errors} errors, ${unsupported} unsupported)`,
  );
  if (doScore) console.log(formatScore(score(file, results)));
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
