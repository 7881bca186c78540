import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');

describe('conformance CLI', () => {
  it.runIf(existsSync(cli))('writes a results file and answers unsupported op for unknown ops', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fovea-conf-'));
    const cases = join(dir, 'cases.json');
    writeFileSync(
      cases,
      JSON.stringify({
        format: 'fovea-conformance/1',
        package: 'x',
        cases: [{ id: 'nope.op#0', op: 'nope.op', inputs: {}, attrs: {}, grad_seed: null, expected: {} }],
      }),
    );
    const out = join(dir, 'results.json');
    execFileSync(process.execPath, [cli, cases, '--out', out, '--backend', 'cpu'], { stdio: 'pipe' });
    const res = JSON.parse(readFileSync(out, 'utf8'));
    expect(res.format).toBe('fovea-conformance-results/1');
    expect(res.backend).toBe('cpu');
    expect(res.results).toEqual([{ id: 'nope.op#0', error: 'unsupported op nope.op' }]);
  });

  it.runIf(existsSync(cli))('rejects bad arguments with usage', () => {
    expect(() => execFileSync(process.execPath, [cli, 'x.json', '--out', '/tmp/y.json', '--backend', 'tpu'], { stdio: 'pipe' })).toThrow(
      /--backend must be cpu, wasm or webgpu/,
    );
  });
});
