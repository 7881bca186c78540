/**
 * pnpm bench [filter] [--backends wasm,cpu,webgpu] [--no-torch]
 *
 * Runs every packages/<pkg>/bench/*.bench.ts on each backend (one process per
 * backend), times the PyTorch twins with Debian's /usr/bin/python3 when it has
 * torch (OpenBLAS, 2 threads), and writes out/bench/results.json (rows: op,
 * backend, shape, median ms, runs, torch settings, ratio) and results.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow, TorchTwin } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const PY = '/usr/bin/python3';
const TORCH_ENV = {
  LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread',
  OMP_NUM_THREADS: '2',
  OMP_WAIT_POLICY: 'PASSIVE',
};
const TORCH_SETTINGS = 'PyTorch CPU, 2 threads, OpenBLAS (openblas-pthread), OMP_WAIT_POLICY=PASSIVE';

interface WorkerRow extends Omit<BenchRow, 'torch' | 'ratio'> {
  torch: TorchTwin | null;
}

function benchFiles(): string[] {
  const out: string[] = [];
  for (const p of readdirSync(join(repo, 'packages')).sort()) {
    const dir = join(repo, 'packages', p, 'bench');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.bench.ts')) out.push(join(dir, f));
  }
  return out;
}

function torchVersion(): string | null {
  if (!existsSync(PY)) return null;
  const r = spawnSync(PY, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', env: { ...process.env, ...TORCH_ENV } });
  return r.status === 0 ? r.stdout.trim() : null;
}

function main(): void {
  const argv = process.argv.slice(2);
  let backends = ['wasm', 'cpu'];
  if (process.env.VK_ICD_FILENAMES) backends.push('webgpu');
  let filter = '';
  let useTorch = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--backends') backends = argv[++i]!.split(',');
    else if (argv[i] === '--no-torch') useTorch = false;
    else filter = argv[i]!;
  }
  const files = benchFiles();
  const loadBefore = loadavg()[0]!;
  const rows: WorkerRow[] = [];
  for (const b of backends) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'worker.ts'), '--backend', b, '--filter', filter, ...files], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) {
      console.error(`bench: the ${b} worker failed (exit ${r.status})`);
      continue;
    }
    const line = r.stdout.trim().split('\n').pop()!;
    rows.push(...(JSON.parse(line) as { rows: WorkerRow[] }).rows);
  }

  const tv = useTorch ? torchVersion() : null;
  const torchTimes: Record<string, { median_ms: number | null; cpu_median_ms?: number | null; error?: string }> = {};
  if (tv) {
    const twins = new Map<string, TorchTwin & { key: string }>();
    for (const row of rows) {
      const key = `${row.package}/${row.op} ${row.shape}`;
      if (row.torch && !twins.has(key)) twins.set(key, { ...row.torch, key });
    }
    const r = spawnSync(PY, [join(here, 'torch_runner.py')], {
      input: JSON.stringify([...twins.values()]),
      encoding: 'utf8',
      env: { ...process.env, ...TORCH_ENV },
      stdio: ['pipe', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status === 0) Object.assign(torchTimes, JSON.parse(r.stdout));
    else console.error(`bench: the PyTorch runner failed (exit ${r.status})`);
  } else {
    console.error(useTorch ? `bench: ${PY} has no torch: PyTorch columns are empty (apt-get install python3-torch python3-torchvision libopenblas0-pthread)` : 'bench: --no-torch');
  }

  const out: BenchRow[] = rows.map((row) => {
    const key = `${row.package}/${row.op} ${row.shape}`;
    const t = row.torch ? torchTimes[key] : undefined;
    const torch = row.torch
      ? { label: row.torch.label, medianMs: t?.median_ms ?? null, cpuMedianMs: t?.cpu_median_ms ?? null, settings: tv ? `${TORCH_SETTINGS}, torch ${tv}` : 'torch not installed' }
      : null;
    const ratio = row.medianMs !== null && torch?.medianMs ? row.medianMs / torch.medianMs : null;
    const cpuRatio = row.cpuMedianMs && torch?.cpuMedianMs ? row.cpuMedianMs / torch.cpuMedianMs : null;
    const { torch: _twin, ...rest } = row;
    return { ...rest, torch, ratio, cpuRatio };
  });
  const dir = join(repo, 'out/bench');
  mkdirSync(dir, { recursive: true });
  // The machine the numbers come from (docs/scripts/bench-table.mjs prints it): CPU, cores, memory, OS, Node, and the
  // 1-minute load average before and after the run (other work on the machine slows both sides).
  const machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    loadAverage: { before: loadBefore, after: loadavg()[0]! },
  };
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ date: new Date().toISOString(), torch: tv, machine, rows: out }, null, 2));
  const fmt = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '—' : v.toFixed(d));
  const md = [
    `| package | op | shape | backend | Fovea median ms | runs | PyTorch (${tv ?? 'n/a'}) | PyTorch median ms | ratio | CPU ms Fovea / PyTorch | CPU ratio |`,
    '|---|---|---|---|---:|---:|---|---:|---:|---:|---:|',
    ...out.map(
      (r) =>
        `| ${r.package} | ${r.op} | ${r.shape} | ${r.backend} | ${r.error ? `error: ${r.error}` : fmt(r.medianMs)} | ${r.runs} | ${r.torch?.label ?? '—'} | ${fmt(r.torch?.medianMs)} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`} | ${fmt(r.cpuMedianMs, 1)} / ${fmt(r.torch?.cpuMedianMs, 1)} | ${r.cpuRatio ? `${r.cpuRatio.toFixed(2)}×` : '—'} |`,
    ),
  ].join('\n');
  writeFileSync(join(dir, 'results.md'), md + `\n\nPyTorch settings: ${TORCH_SETTINGS}. Ratio = Fovea median / PyTorch median wall time (lower is better); CPU ratio = the same for process CPU time per run (all threads), which load distorts far less.\n`);
  console.log(md);
}

main();
