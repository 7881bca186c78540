/**
 * tfjs-backend-wasm's threaded-SIMD build in Node (Node only: loaded by
 * `initBackend()` through a dynamic import, so browser bundles never see
 * `node:*`).
 *
 * tfjs-backend-wasm 4.22 never picks its threaded binary in Node (its flag
 * `WASM_HAS_MULTITHREAD_SUPPORT` is false there), and its loader hands
 * Emscripten Blob URLs, which `worker_threads` cannot load. The Emscripten
 * glue itself supports Node workers, so this loads the binary directly, as
 * tfjs's `init()` would: the worker script (shipped inside the package as a
 * string) is written to a temporary `.cjs` file for `locateFile`, the main
 * script is given as a path, and `new BackendWasm(module)` runs after
 * `setThreadsCount(n)`. Two more details: tfjs sizes XNNPACK's pool from
 * `emscripten_num_logical_cores()`, which is `os.cpus().length` (halved), so
 * `os.cpus` is stubbed while the module starts; and the pool's threads never
 * exit, so every worker is `unref()`ed, or Node would never exit.
 *
 * Everything is read from node_modules: nothing is fetched.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

interface NodeWorker {
  unref(): void;
}

interface PThreadPool {
  runningWorkers: NodeWorker[];
  unusedWorkers: NodeWorker[];
  allocateUnusedWorker(): void;
}

interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => unknown;
  PThread: PThreadPool;
  tfjs?: unknown;
}

type ModuleFactory = (config: { locateFile(p: string): string; mainScriptUrlOrBlob: string }) => Promise<ThreadedModule>;

let workerDir: string | undefined;

/** Writes the worker script once per process (removed when the process exits). */
function workerScript(contents: string): string {
  if (workerDir === undefined) {
    workerDir = mkdtempSync(path.join(os.tmpdir(), 'fovea-wasm-threads-'));
    const dir = workerDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const file = path.join(workerDir, 'worker.cjs');
  // tfjs stores the script in a template literal, which turned its "\n" escapes into newlines
  writeFileSync(file, contents.replace(/\n/g, '\\n'));
  return file;
}

/** Unrefs every worker of the pool, and every worker it creates later. */
function unrefWorkers(pool: PThreadPool): void {
  for (const w of [...pool.runningWorkers, ...pool.unusedWorkers]) w.unref();
  const allocate = pool.allocateUnusedWorker.bind(pool);
  pool.allocateUnusedWorker = () => {
    allocate();
    pool.unusedWorkers[pool.unusedWorkers.length - 1]?.unref();
  };
}

async function loadThreadedBackend(threads: number): Promise<tf.KernelBackend> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  const mainFile = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const dir = path.dirname(mainFile);
  const factory = require(mainFile) as ModuleFactory;
  const { wasmWorkerContents } = require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const workerFile = workerScript(wasmWorkerContents);
  const cpus = os.cpus;
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]!);
  try {
    const mod = await factory({
      locateFile: (p) => (p.endsWith('.worker.js') ? workerFile : path.join(dir, p)),
      mainScriptUrlOrBlob: mainFile,
    });
    unrefWorkers(mod.PThread);
    // the same bindings tfjs-backend-wasm's init() makes
    mod.tfjs = {
      init: mod.cwrap('init', null, []),
      initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
      registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: mod.cwrap('dispose_data', null, ['number']),
      dispose: mod.cwrap('dispose', null, []),
    };
    wasm.setThreadsCount(threads);
    const backend = new wasm.BackendWasm(mod as never);
    unrefWorkers(mod.PThread); // the pool's threads started in the constructor
    return backend;
  } finally {
    os.cpus = cpus;
  }
}

/**
 * Makes `'wasm'` the threaded-SIMD build with `threads` XNNPACK threads and
 * runs `verify` (which sets the backend). On any failure the original
 * single-threaded factory is put back and the error rethrown. Resolves the
 * thread count XNNPACK reports.
 */
export async function startThreadedWasm(threads: number, verify: () => Promise<void>): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const engine = tf.engine() as unknown as { registry: Record<string, unknown> };
  if (engine.registry['wasm'] !== undefined) throw new Error("the wasm backend was already initialised (call initBackend before tf.setBackend('wasm'))");
  const original = tf.findBackendFactory('wasm');
  if (original === null) throw new Error('tfjs-backend-wasm registered no backend');
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => loadThreadedBackend(threads), 2);
  try {
    await verify();
    return wasm.getThreadsCount();
  } catch (e) {
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', original, 2);
    throw e;
  }
}
