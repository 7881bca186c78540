/**
 * Packs every published package (`pnpm pack`, which turns `workspace:^` into
 * real versions), installs all tarballs into a scratch app outside the
 * workspace with npm (overrides point each @fovea/* dependency at its
 * tarball, so nothing is fetched under our names), and imports each package
 * in plain Node, where a tiny program initialises a backend and runs an op.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface PackResult {
  dir: string;
  packages: string[];
  output: string;
}

export function packAndInstall(repo: string): PackResult {
  const dir = mkdtempSync(join(tmpdir(), 'fovea-pack-'));
  const pkgs = readdirSync(join(repo, 'packages'))
    .map((p) => join(repo, 'packages', p))
    .filter((p) => {
      try {
        return !JSON.parse(readFileSync(join(p, 'package.json'), 'utf8')).private;
      } catch {
        return false;
      }
    });
  const pnpm = process.env.npm_execpath && process.env.npm_execpath.includes('pnpm')
    ? [process.execPath, process.env.npm_execpath]
    : spawnSync('pnpm', ['--version']).status === 0
      ? ['pnpm']
      : ['npx', '-y', 'pnpm@10.34.9'];
  const tarballs: Record<string, string> = {};
  for (const p of pkgs) {
    const name = JSON.parse(readFileSync(join(p, 'package.json'), 'utf8')).name as string;
    const out = execFileSync(pnpm[0]!, [...pnpm.slice(1), 'pack', '--pack-destination', dir], { cwd: p, encoding: 'utf8' });
    const tgz = out.trim().split('\n').pop()!.trim();
    tarballs[name] = `file:${resolve(dir, tgz)}`;
  }
  const app = join(dir, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'fovea-pack-check-app',
      private: true,
      type: 'module',
      dependencies: { ...tarballs, '@tensorflow/tfjs-core': '4.22.0' },
      overrides: tarballs,
    }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
  const names = Object.keys(tarballs);
  const program = `
import * as tf from '@tensorflow/tfjs-core';
${names.map((n, i) => `import * as p${i} from '${n}';`).join('\n')}
const mods = { ${names.map((n, i) => `'${n}': p${i}`).join(', ')} };
for (const [n, m] of Object.entries(mods)) console.log(n, Object.keys(m).length, 'exports');
const info = await p${names.indexOf('@fovea/core')}.initBackend();
const y = tf.tidy(() => tf.sum(tf.mul(tf.ones([4]), 2)));
console.log(info.summary, (await y.data())[0]);
`;
  writeFileSync(join(app, 'main.mjs'), program);
  const output = execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8', env: { ...process.env, FOVEA_BACKEND: 'wasm' } });
  return { dir, packages: names, output };
}
