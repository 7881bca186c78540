/**
 * Times bench cases on one backend (a process has one backend).
 * usage: node --import tsx worker.ts --backend wasm --filter s file.bench.ts ...
 * Prints one JSON line: { rows: WorkerRow[] }.
 */
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '@fovea/core';
import type { BenchSuite, TorchTwin } from './types.js';

interface WorkerRow {
  package: string;
  op: string;
  shape: string;
  backend: string;
  medianMs: number | null;
  runs: number;
  warmup?: number;
  /** What initBackend reported, e.g. `backend wasm, 2 threads (forced)`. */
  backendSummary?: string;
  times?: number[];
  /** Median process CPU time (user + system, all threads) per run, ms: load on the machine inflates it far less than wall time. */
  cpuMedianMs?: number;
  torch: TorchTwin | null;
  error?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let backend = 'wasm';
  let filter = '';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--backend') backend = argv[++i]!;
    else if (argv[i] === '--filter') filter = argv[++i] ?? '';
    else files.push(argv[i]!);
  }
  const info = await initBackend({ backend: backend as BackendName });
  if (backend === 'webgpu') tf.env().set('WEBGPU_CPU_FORWARD', false);
  process.stderr.write(`bench: ${info.summary}\n`);
  const rows: WorkerRow[] = [];
  for (const file of files) {
    const suite = (await import(pathToFileURL(file).href)).default as BenchSuite;
    for (const c of suite.cases) {
      const key = `${suite.package}/${c.op} ${c.shape}`;
      if (filter && !key.includes(filter)) continue;
      const row: WorkerRow = { package: suite.package, op: c.op, shape: c.shape, backend, backendSummary: info.summary, medianMs: null, runs: 0, torch: c.torch ?? null };
      rows.push(row);
      if (c.backends && !c.backends.includes(backend as 'wasm')) {
        row.error = 'not run on this backend';
        continue;
      }
      const before = tf.memory().numTensors;
      try {
        const r = await c.setup();
        const warm = c.warmup ?? 2;
        const runs = Math.max(5, c.runs ?? 7);
        for (let i = 0; i < warm; i++) await r.run();
        const times: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < runs; i++) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await r.run();
          times.push(performance.now() - t0);
          const c = process.cpuUsage(c0);
          cpu.push((c.user + c.system) / 1000);
        }
        r.dispose?.();
        row.medianMs = median(times);
        row.runs = runs;
        row.warmup = warm;
        row.times = times.map((t) => Math.round(t * 1000) / 1000);
        row.cpuMedianMs = median(cpu);
        const leaked = tf.memory().numTensors - before;
        if (leaked !== 0) row.error = `leaked ${leaked} tensors`;
        process.stderr.write(`bench: ${backend} ${key}: ${row.medianMs.toFixed(2)} ms (CPU ${row.cpuMedianMs.toFixed(2)} ms)\n`);
      } catch (e) {
        row.error = e instanceof Error ? e.message : String(e);
        process.stderr.write(`bench: ${backend} ${key}: ERROR ${row.error}\n`);
      }
    }
  }
  process.stdout.write(JSON.stringify({ rows }) + '\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
