import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packAndInstall } from './pack.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('packed tarballs', () => {
  it('install into a scratch app outside the workspace and import in Node', () => {
    const r = packAndInstall(repo);
    expect(r.dir.startsWith(repo)).toBe(false);
    expect(r.packages).toContain('@fovea/core');
    for (const p of r.packages) expect(r.output).toMatch(new RegExp(`^${p} \\d+ exports$`, 'm'));
    expect(r.output).toMatch(/backend wasm.* 8$/m);
  }, 300_000);
});
