#!/usr/bin/env node
// webgpu-check.mjs: proves TensorFlow.js's webgpu backend works in Node
// (Dawn via the `webgpu` npm package). Without a GPU, set up lavapipe first:
//
//   scripts/setup-webgpu.sh && source .cache/lavapipe/env.sh
//   node scripts/webgpu-check.mjs
//
// It installs navigator.gpu + the WebGPU globals, imports
// @tensorflow/tfjs-core, -backend-cpu and -backend-webgpu (in that order:
// the webgpu backend registers itself only if navigator.gpu exists when it
// is imported), checks that tf.setBackend('webgpu') resolves true, runs a
// matMul, a conv2d and a few more ops on webgpu, compares them with the cpu
// backend, prints the adapter and the first-use (shader compile) cost per op,
// and exits non-zero on any failure.
//
// Packages are resolved from, in order: $FOVEA_RESOLVE_FROM, the current
// directory, packages/core, the repository root. The navigator.gpu installer
// is packages/core/dist/backend/webgpu-node.js when built (or
// $FOVEA_WEBGPU_NODE_MODULE), else an inline copy of the same steps.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const t0 = performance.now();
const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.error(`FAIL: ${msg}`);
};
const ms = (t) => `${t.toFixed(0)} ms`;

// If Dawn ever keeps the event loop alive after we are done, say so and exit
// instead of hanging CI. The timer is unref'd, so it never holds the process.
function exitWatchdog(seconds) {
  setTimeout(() => {
    console.error(`webgpu-check: process did not exit ${seconds} s after finishing; forcing exit`);
    process.exit(process.exitCode || 3);
  }, seconds * 1000).unref();
}

function resolver() {
  const bases = [process.env.FOVEA_RESOLVE_FROM, process.cwd(), join(repoRoot, 'packages/core'), repoRoot].filter(
    Boolean,
  );
  for (const base of bases) {
    const req = createRequire(join(resolve(base), 'noop.js'));
    try {
      req.resolve('@tensorflow/tfjs-backend-webgpu');
      req.resolve('webgpu');
      return { base, req };
    } catch {
      // try the next one
    }
  }
  throw new Error(
    `cannot resolve @tensorflow/tfjs-backend-webgpu and webgpu from any of: ${bases.join(', ')} ` +
      '(install them, or set FOVEA_RESOLVE_FROM to a folder whose node_modules has them)',
  );
}

async function loadInstaller() {
  const built = process.env.FOVEA_WEBGPU_NODE_MODULE ?? join(repoRoot, 'packages/core/dist/backend/webgpu-node.js');
  if (existsSync(built)) {
    const mod = await import(pathToFileURL(resolve(built)).href);
    return { from: built, install: mod.installNodeWebGPU, describe: mod.describeWebGPUAdapter };
  }
  return { from: 'inline copy', install: null, describe: null };
}

// Inline copy of installNodeWebGPU (packages/core/src/backend/webgpu-node.ts).
async function inlineInstall(webgpuUrl) {
  if (globalThis.navigator?.gpu) return true;
  const { create, globals } = await import(webgpuUrl);
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in globalThis)) {
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true, enumerable: false });
    }
  }
  const gpu = create([]);
  const nav = globalThis.navigator;
  if (nav != null && Object.isExtensible(nav)) {
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true, enumerable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
  return globalThis.navigator?.gpu != null;
}

async function inlineDescribe() {
  const adapter = await globalThis.navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const d = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter === true || adapter.isFallbackAdapter === true,
  };
  d.isSoftware =
    d.isFallbackAdapter ||
    [d.vendor, d.architecture, d.device, d.description].some((s) =>
      /llvmpipe|lavapipe|softpipe|swiftshader|\bsoftware\b|basic render driver|\bwarp\b/i.test(s),
    );
  return d;
}

// Deterministic inputs (no Math.random) so failures reproduce.
function values(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

// The ops under test: name -> (tf) => Tensor. Small shapes: each op's first
// use compiles a shader on a software adapter.
const CASES = {
  matMul: (tf) => tf.matMul(tf.tensor2d(values(33 * 47, 1), [33, 47]), tf.tensor2d(values(47 * 29, 2), [47, 29])),
  conv2d: (tf) =>
    tf.conv2d(tf.tensor4d(values(1 * 16 * 16 * 3, 3), [1, 16, 16, 3]), tf.tensor4d(values(3 * 3 * 3 * 8, 4), [3, 3, 3, 8]), 1, 'same'),
  'conv2d(stride 2, valid)': (tf) =>
    tf.conv2d(tf.tensor4d(values(2 * 17 * 15 * 4, 5), [2, 17, 15, 4]), tf.tensor4d(values(3 * 3 * 4 * 6, 6), [3, 3, 4, 6]), 2, 'valid'),
  depthwiseConv2d: (tf) =>
    tf.depthwiseConv2d(tf.tensor4d(values(1 * 12 * 12 * 4, 7), [1, 12, 12, 4]), tf.tensor4d(values(3 * 3 * 4 * 1, 8), [3, 3, 4, 1]), 1, 'same'),
  'add+relu': (tf) => tf.relu(tf.add(tf.tensor2d(values(64 * 64, 9), [64, 64]), tf.tensor1d(values(64, 10)))),
  maxPool: (tf) => tf.maxPool(tf.tensor4d(values(1 * 16 * 16 * 8, 11), [1, 16, 16, 8]), 2, 2, 'valid'),
  mean: (tf) => tf.mean(tf.tensor2d(values(50 * 70, 12), [50, 70]), 1),
};

async function run(tf, name) {
  const t = performance.now();
  const y = tf.tidy(() => CASES[name](tf));
  const data = await y.data(); // async read-back: dataSync() throws on webgpu in Node
  const shape = y.shape;
  y.dispose();
  return { data, shape, ms: performance.now() - t };
}

function maxError(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));
    if (!(err <= worst)) worst = err; // NaN propagates
  }
  return worst;
}

async function main() {
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES) {
    console.warn(
      'webgpu-check: VK_ICD_FILENAMES is not set; without a GPU run ' +
        '`scripts/setup-webgpu.sh && source .cache/lavapipe/env.sh` first',
    );
  }
  const { base, req } = resolver();
  const version = (name) => req(`${name}/package.json`).version;
  console.log(`packages from ${base}: webgpu ${version('webgpu')}, tfjs-backend-webgpu ${version('@tensorflow/tfjs-backend-webgpu')}`);

  // 1. navigator.gpu, before tfjs-backend-webgpu is imported.
  const installer = await loadInstaller();
  const webgpuUrl = pathToFileURL(req.resolve('webgpu')).href;
  let t = performance.now();
  const installed = installer.install ? await installer.install() : await inlineInstall(webgpuUrl);
  console.log(`navigator.gpu installed (${installer.from}): ${installed} in ${ms(performance.now() - t)}`);
  if (!installed) {
    fail('navigator.gpu is not available (is the webgpu package installed?)');
    return;
  }
  t = performance.now();
  const adapter = installer.describe ? await installer.describe() : await inlineDescribe();
  console.log(`adapter (${ms(performance.now() - t)}):`, adapter);
  if (!adapter) {
    fail('no WebGPU adapter (without a GPU: is lavapipe 25.x set up and env.sh sourced?)');
    return;
  }

  // 2. tfjs, resolved so that every package shares one tfjs-core instance.
  const backendPath = req.resolve('@tensorflow/tfjs-backend-webgpu');
  const breq = createRequire(backendPath);
  const tf = await import(pathToFileURL(breq.resolve('@tensorflow/tfjs-core')).href);
  await import(pathToFileURL(breq.resolve('@tensorflow/tfjs-backend-cpu')).href).catch(async () =>
    import(pathToFileURL(req.resolve('@tensorflow/tfjs-backend-cpu')).href),
  );
  await import(pathToFileURL(backendPath).href);
  console.log(`tfjs-core ${tf.version_core}; backends registered: webgpu=${tf.findBackendFactory('webgpu') != null}`);

  // Small tensors would otherwise be computed on the CPU (WEBGPU_CPU_FORWARD,
  // below WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD = 1000 elements): force the GPU.
  tf.env().set('WEBGPU_CPU_FORWARD', false);

  t = performance.now();
  const ok = await tf.setBackend('webgpu');
  console.log(`tf.setBackend('webgpu') -> ${ok} in ${ms(performance.now() - t)}; tf.getBackend() = ${tf.getBackend()}`);
  if (ok !== true || tf.getBackend() !== 'webgpu') {
    fail(`tf.setBackend('webgpu') resolved ${ok} (getBackend() says ${tf.getBackend()})`);
    return;
  }
  const backend = tf.backend();
  console.log(
    `device features: ${[...backend.device.features].sort().join(', ') || '(none)'}; ` +
      `timestamp queries: ${backend.supportTimestampQuery}`,
  );

  // 3. Ops on webgpu, twice each (first use compiles the shader).
  const gpu = {};
  console.log('op                        first use   second use');
  for (const name of Object.keys(CASES)) {
    try {
      const first = await run(tf, name);
      const second = await run(tf, name);
      gpu[name] = first;
      console.log(`${name.padEnd(26)}${ms(first.ms).padStart(9)}   ${ms(second.ms).padStart(10)}`);
    } catch (e) {
      fail(`${name} on webgpu threw: ${e?.stack ?? e}`);
    }
  }

  // dataSync() on a GPU-resident tensor: documented to throw in Node (it
  // reads back through OffscreenCanvas). Informational only.
  {
    const y = tf.tidy(() => tf.matMul(tf.ones([8, 8]), tf.ones([8, 8])));
    const warn = console.warn;
    console.warn = () => {}; // silence tfjs's "synchronously reading data" warning
    try {
      y.dataSync();
      console.log('dataSync() on a GPU-resident tensor: works');
    } catch (e) {
      console.log(`dataSync() on a GPU-resident tensor: throws ${e?.name}: ${e?.message} (use await t.data())`);
    } finally {
      console.warn = warn;
      y.dispose();
    }
  }
  const leaked = tf.memory().numTensors;
  if (leaked !== 0) fail(`${leaked} tensors left on webgpu`);

  // 4. The same ops on cpu.
  if (!(await tf.setBackend('cpu'))) {
    fail("tf.setBackend('cpu') failed");
    return;
  }
  for (const name of Object.keys(gpu)) {
    const want = await run(tf, name);
    const got = gpu[name];
    if (got.shape.join() !== want.shape.join()) {
      fail(`${name}: shape [${got.shape}] on webgpu, [${want.shape}] on cpu`);
      continue;
    }
    const err = maxError(got.data, want.data);
    const okay = err <= 1e-4;
    console.log(`${name.padEnd(26)}max rel. error vs cpu ${err.toExponential(2)} ${okay ? 'ok' : 'FAIL'}`);
    if (!okay) fail(`${name}: webgpu differs from cpu by ${err}`);
  }
  tf.removeBackend('webgpu'); // releases the GPUDevice
}

try {
  await main();
} catch (e) {
  fail(`unexpected error: ${e?.stack ?? e}`);
}
console.log(
  failures.length === 0
    ? `webgpu-check: OK (${ms(performance.now() - t0)})`
    : `webgpu-check: ${failures.length} failure(s) (${ms(performance.now() - t0)})`,
);
process.exitCode = failures.length === 0 ? 0 : 1;
exitWatchdog(10);
