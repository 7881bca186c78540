/**
 * The gallery's browser test: serves the built gallery on localhost, drives
 * Debian's Chromium with Playwright (playwright-core, no browser download),
 * and for every page checks that
 *   - with `?backend=webgpu` WebGPU really initialised (a SwiftShader adapter
 *     here: software, so initBackend only takes it when forced),
 *   - without a parameter the gallery fell back to wasm,
 *   - the page's demo runs a few steps without errors,
 * saving a screenshot of each to out/gallery/. Exits non-zero on any failure.
 *
 *   pnpm --filter @fovea/example-gallery build && pnpm --filter @fovea/example-gallery test:browser
 */
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '../dist');
const outDir = resolve(here, '../../../out/gallery');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Demo steps per page and lane: enough to show it works, small enough for a software GPU. */
const STEPS: Record<string, number> = { webgpu: 2, wasm: 5 };
/** `PAGES=id,id` limits the run to those pages (while working on one); CI runs them all. */
const ONLY = process.env.PAGES ? new Set(process.env.PAGES.split(',')) : null;

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.safetensors': 'application/octet-stream',
};

function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = resolve(root, `.${path}`);
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    ok({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/` });
  }));
}

interface GalleryState {
  backend: { backend: string; summary: string; adapter: { isSoftware: boolean; description: string; vendor: string } | null } | null;
  error: string | null;
  pages: string[];
  current: string | null;
}

async function state(page: Page): Promise<GalleryState | null> {
  return page.evaluate(() => {
    const f = window.__fovea;
    return f ? { backend: f.backend, error: f.error, pages: f.pages, current: f.current } as GalleryState : null;
  });
}

async function waitFor(page: Page, pred: (s: GalleryState) => boolean, what: string, ms: number): Promise<GalleryState> {
  const t0 = Date.now();
  for (;;) {
    const s = await state(page);
    if (s?.error) throw new Error(`${what}: the gallery reported: ${s.error}`);
    if (s && pred(s)) return s;
    if (Date.now() - t0 > ms) throw new Error(`${what}: timed out after ${ms} ms (state ${JSON.stringify(s)})`);
    await page.waitForTimeout(200);
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no build at ${dist}: run the gallery's build first`);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  mkdirSync(outDir, { recursive: true });
  const { server, url } = await serve(dist);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--enable-features=Vulkan', '--use-angle=swiftshader', '--use-webgpu-adapter=swiftshader',
    ],
  });
  const failures: string[] = [];
  const lines: string[] = [];
  try {
    for (const lane of ['webgpu', 'wasm'] as const) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
      const query = lane === 'webgpu' ? '?backend=webgpu' : '';
      await page.goto(`${url}${query}`);
      const first = await waitFor(page, (s) => s.backend !== null, `${lane}: backend`, 120_000);
      const b = first.backend!;
      if (b.backend !== lane) failures.push(`${lane}: expected backend ${lane}, got ${b.backend} (${b.summary})`);
      if (lane === 'webgpu' && !b.adapter) failures.push('webgpu: no adapter info');
      lines.push(`${lane}: ${b.summary}`);
      for (const id of first.pages.filter((p) => !ONLY || ONLY.has(p))) {
        const t0 = Date.now();
        try {
          await page.goto(`${url}${query}#/${id}`); // a hash change: pages share models (the drawing page uses the trained CNN)
          await waitFor(page, (s) => s.current === id, `${lane} ${id}: mount`, 180_000);
          const summary = await page.evaluate((n) => window.__fovea!.demo(n), STEPS[lane]!);
          await page.screenshot({ path: join(outDir, `${id}-${lane}.png`), fullPage: true });
          lines.push(`  ${id}: ${summary} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        } catch (e) {
          failures.push(`${lane} ${id}: ${e instanceof Error ? e.message : String(e)}`);
          await page.screenshot({ path: join(outDir, `${id}-${lane}-failed.png`), fullPage: true }).catch(() => {});
        }
      }
      const relevant = errors.filter((e) => !/favicon/.test(e));
      if (relevant.length) failures.push(`${lane}: browser errors:\n    ${relevant.join('\n    ')}`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(lines.join('\n'));
  console.log(`screenshots: ${outDir}`);
  if (failures.length) {
    console.error(`gallery browser test FAILED:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log('gallery browser test passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
