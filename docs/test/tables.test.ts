/**
 * The generators of the conformance and benchmark pages: their parsing and
 * formatting, and that the committed conformance page lists every op of the
 * shared specification (so a new op cannot be missing from the table).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cells, parseOps, referenceSentence } from '../scripts/conformance-table.mjs';
import { groupRows, ms, ratio, render } from '../scripts/bench-table.mjs';

const docs = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.env.FOVEA_SHARED ?? join(docs, '../../shared'));
const opsDir = join(shared, 'conformance/ops');

describe('conformance table', () => {
  it('splits table rows on unescaped pipes only', () => {
    expect(cells('| reference | `max \\|g\\|` for inf; `F.relu` |')).toEqual(['reference', '`max \\|g\\|` for inf; `F.relu`']);
  });

  it('finds the sentence naming a reference, not splitting inside code or version numbers', () => {
    expect(referenceSentence('Elementwise. As `core.softmax`, reference `F.log_softmax(x, dim)`. More.')).toBe('As `core.softmax`, reference `F.log_softmax(x, dim)`.');
    expect(referenceSentence('Reference: `torch.optim` of PyTorch 1.13, in float64. Tolerance 1e-4.')).toBe('Reference: `torch.optim` of PyTorch 1.13, in float64.');
    expect(referenceSentence('| reference | in a table |\nno prose mention')).toBe('');
  });

  it('takes the reference row, then a prose sentence, then the file header', () => {
    const md = [
      '# demo ops', '', 'Reference: `torch.demo` of PyTorch 1.13.', '', '---', '',
      '## demo.a', '', '| | |', '|---|---|', '| reference | `F.a(x)` |', '',
      '## demo.b', '', 'As `demo.a`, reference `F.b(x)`.', '',
      '## demo.c', '', 'Only formulas: `y = 2x`.', '',
      '## other.d', '', 'not this package',
    ].join('\n');
    expect(parseOps(md, 'demo', 'case file')).toEqual([
      { op: 'demo.a', reference: '`F.a(x)`', source: 'table' },
      { op: 'demo.b', reference: 'As `demo.a`, reference `F.b(x)`.', source: 'prose' },
      { op: 'demo.c', reference: '`torch.demo` of PyTorch 1.13 (formulas in `ops/demo.md`)', source: 'file' },
    ]);
  });

  it.runIf(existsSync(opsDir))('gives every op of the shared specification a reference, and the committed page lists them all', () => {
    const page = readFileSync(join(docs, 'guides/conformance.md'), 'utf8');
    const missing: string[] = [];
    let n = 0;
    for (const f of readdirSync(opsDir).filter((x) => x.endsWith('.md'))) {
      const pkg = f.replace(/\.md$/, '');
      const ops = parseOps(readFileSync(join(opsDir, f), 'utf8'), pkg, 'x');
      expect(ops.length, f).toBeGreaterThan(0);
      for (const o of ops) {
        n++;
        expect(o.reference.length, o.op).toBeGreaterThan(5);
        if (!page.includes(`| \`${o.op}\` |`)) missing.push(o.op);
      }
    }
    expect(n).toBeGreaterThan(50);
    expect(missing, 'ops missing from docs/guides/conformance.md: rerun node docs/scripts/conformance-table.mjs').toEqual([]);
  });
});

describe('benchmark table', () => {
  it('formats times and ratios', () => {
    expect([ms(1234.5), ms(56.78), ms(3.456), ms(0.01234), ms(null)]).toEqual(['1235', '56.8', '3.46', '0.012', '—']);
    expect([ratio(26.78), ratio(2.345), ratio(0.5123), ratio(null)]).toEqual(['27×', '2.3×', '0.51×', '']);
  });

  it('puts each workload on one row, backends side by side with PyTorch, and states the method and machine', () => {
    const torch = { label: 'torchvision.ops.nms', medianMs: 10, settings: 'PyTorch CPU, 2 threads, OpenBLAS' };
    const rows = [
      { package: 'detection', op: 'nms', shape: '10000 boxes', backend: 'wasm', backendSummary: 'backend wasm, 2 threads (forced)', medianMs: 25, runs: 7, warmup: 2, torch, ratio: 2.5 },
      { package: 'detection', op: 'nms', shape: '10000 boxes', backend: 'cpu', medianMs: 30, runs: 7, warmup: 2, torch, ratio: 3 },
      { package: 'metrics', op: 'coco', shape: '5000 images', backend: 'wasm', medianMs: 900, runs: 5, warmup: 1, torch: null, ratio: null },
      { package: 'metrics', op: 'coco', shape: '5000 images', backend: 'cpu', medianMs: null, runs: 0, torch: null, ratio: null, error: 'not run on this backend' },
    ];
    expect([...groupRows(rows).get('detection')!.values()]).toHaveLength(1);
    const machine = { cpu: 'Test CPU', cores: 2, memoryGiB: 8, os: 'linux 6', node: 'v20.0.0', loadAverage: { before: 5, after: 6 } };
    const md = render({ date: '2025-01-02T03:04:05.000Z', torch: '1.13.0', machine, rows }, 'out/bench/results.json');
    expect(md).toContain('| nms | 10000 boxes | 25.0 (2.5×) | 30.0 (3.0×) | 10.0 | 7 (+2) | torchvision.ops.nms |');
    expect(md).toContain('| coco | 5000 images | 900 |  | — | 5 (+1) | none |');
    expect(md).toContain('Test CPU, 2 cores, 8 GiB');
    expect(md).toContain('machine was shared with other work');
    expect(md).toContain('PyTorch CPU, 2 threads, OpenBLAS');
    expect(md).toContain('finished 2025-01-02 03:04 UTC');
    expect(md).toContain('**Backends:** `backend wasm, 2 threads (forced)`.');
  });
});
