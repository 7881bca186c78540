/**
 * The gallery shell: starts a backend (WebGPU when the browser has a hardware
 * adapter, else WASM; `?backend=webgpu|wasm|cpu` forces one, which is how the
 * software SwiftShader adapter of headless Chromium is used), shows which one
 * it got, and mounts one page per package.
 */
import { initBackend, type BackendName } from '@fovea/core';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { pages } from './pages/index.js';
import type { PageContext, PageHandle } from './types.js';
import { el } from './ui.js';

declare global {
  interface Window {
    /** The browser tests' handle on the gallery. */
    __fovea?: {
      backend: PageContext['backend'] | null;
      error: string | null;
      pages: string[];
      current: string | null;
      demo(steps: number): Promise<string>;
    };
  }
}

const badge = document.getElementById('backend')!;
const nav = document.getElementById('nav')!;
const main = document.getElementById('page')!;
const api: NonNullable<Window['__fovea']> = {
  backend: null,
  error: null,
  pages: pages.map((p) => p.id),
  current: null,
  demo: async () => {
    throw new Error('no page mounted');
  },
};
window.__fovea = api;

async function start(): Promise<void> {
  const forced = new URLSearchParams(location.search).get('backend') as BackendName | null;
  let info;
  try {
    info = await initBackend({
      ...(forced ? { backend: forced } : {}),
      wasmPaths: {
        'tfjs-backend-wasm.wasm': wasmPlain,
        'tfjs-backend-wasm-simd.wasm': wasmSimd,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
      },
    });
  } catch (e) {
    api.error = e instanceof Error ? e.message : String(e);
    badge.dataset.state = 'error';
    badge.textContent = api.error;
    return;
  }
  api.backend = info;
  badge.dataset.state = info.backend;
  badge.textContent = info.summary;
  const ctx: PageContext = { backend: info, shared: new Map() };
  let handle: PageHandle | null = null;

  const route = async (): Promise<void> => {
    const id = location.hash.replace(/^#\/?/, '') || pages[0]!.id;
    const page = pages.find((p) => p.id === id) ?? pages[0]!;
    for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.dataset.id === page.id);
    handle?.dispose();
    handle = null;
    main.replaceChildren(el('h2', {}, page.title), el('p', { className: 'pkg' }, page.pkg));
    const root = el('div');
    main.append(root);
    api.current = null;
    try {
      handle = await page.mount(root, ctx);
      api.current = page.id;
      const h = handle;
      api.demo = (steps) => h.demo(steps);
    } catch (e) {
      api.error = `${page.id}: ${e instanceof Error ? e.message : String(e)}`;
      root.append(el('p', { className: 'status' }, api.error));
    }
  };
  for (const p of pages) nav.append(el('a', { href: `${location.search}#/${p.id}`, dataset: { id: p.id } }, p.title));
  window.addEventListener('hashchange', () => void route());
  await route();
}

void start();
