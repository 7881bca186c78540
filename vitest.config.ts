import { readdirSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * One project per package (run one alone with `vitest --project core`), the
 * conformance suite, and two backend lanes. Tests run on wasm by default; the
 * cpu and webgpu lanes run the conformance cases and each package's
 * `*.smoke.test.ts` files. `@fovea/*` resolves to package sources, so tests
 * need no build.
 */
const root = import.meta.dirname;
const packages = readdirSync(resolve(root, 'packages')).filter((p) => existsSync(resolve(root, 'packages', p, 'package.json')));
const alias = [{ find: /^@fovea\/([a-z0-9]+)$/, replacement: resolve(root, 'packages/$1/src/index.ts') }];
const setupFiles = [resolve(root, 'vitest.setup.ts')];

function project(name: string, include: string[], backend: string, extra: Record<string, unknown> = {}): TestProjectInlineConfiguration {
  return {
    resolve: { alias },
    test: {
      name,
      root,
      include,
      setupFiles,
      env: { FOVEA_BACKEND: backend },
      testTimeout: 120_000,
      hookTimeout: 120_000,
      ...extra,
    },
  };
}

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      ...packages.map((p) => project(p, [`packages/${p}/src/**/*.test.ts`], 'wasm')),
      project('tools', ['tools/*/src/**/*.test.ts'], 'wasm', { exclude: ['tools/conformance/src/lanes/**'] }),
      project('docs', ['docs/test/**/*.test.ts'], 'wasm'),
      project('lane-wasm', ['tools/conformance/src/lanes/**/*.test.ts'], 'wasm'),
      project('lane-cpu', ['packages/*/src/**/*.smoke.test.ts', 'tools/conformance/src/lanes/**/*.test.ts'], 'cpu'),
      project('lane-webgpu', ['packages/*/src/**/*.smoke.test.ts', 'tools/conformance/src/lanes/**/*.test.ts'], 'webgpu'),
    ],
  },
});
