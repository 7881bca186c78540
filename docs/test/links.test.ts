/**
 * Builds the documentation site (the API of every package and the guides)
 * with the options of docs/typedoc.json into a temporary folder, and checks
 * that nothing links to a missing page: typedoc must resolve every
 * `{@link}`, `{@include}`/`{@includeCode}` and relative path, and every local
 * `href`/`src` of every generated page (and of the navigation and search
 * data) must name an existing file and anchor. Other typedoc warnings (an
 * export without TSDoc, say) are printed; `pnpm run docs` fails on those.
 *
 * Needs the packages built (`pnpm build`): typedoc reads their declarations.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSite, formatBroken, type SiteReport } from './site-links.js';

const docs = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(docs, '..');
const out = mkdtempSync(join(tmpdir(), 'fovea-site-'));

/** Messages typedoc logs about links, includes and paths: each one is a broken link on the site. */
const LINK_PROBLEM = /resolve link|relative path|not a file|does not exist|@include|region|rewritten|link to/i;

interface Build {
  code: number | null;
  warnings: string[];
  errors: string[];
  seconds: number;
}

/** typedoc's CLI script (its `exports` map hides `bin/`): found from the package's entry point. */
function typedocBin(): string {
  let dir = dirname(createRequire(join(repo, 'package.json')).resolve('typedoc'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'bin/typedoc');
}

function buildSite(): Promise<Build> {
  const typedoc = typedocBin();
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [typedoc, '--options', join(docs, 'typedoc.json'), '--out', out, '--treatWarningsAsErrors', 'false', '--logLevel', 'Warn'], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      // eslint-disable-next-line no-control-regex
      const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
      const pick = (tag: string) => lines.filter((l) => l.startsWith(`[${tag}]`) && !/Found \d+ errors and \d+ warnings/.test(l));
      done({ code, warnings: pick('warning'), errors: pick('error'), seconds: (performance.now() - t0) / 1000 });
    });
  });
}

/** The guides typedoc.json lists, and the children their front matter names. */
function guideFiles(): string[] {
  const cfg = JSON.parse(readFileSync(join(docs, 'typedoc.json'), 'utf8')) as { projectDocuments: string[] };
  const files: string[] = [];
  for (const doc of cfg.projectDocuments) {
    files.push(doc);
    const text = readFileSync(join(docs, doc), 'utf8');
    const front = text.match(/^---\n([\s\S]*?)\n---/)?.[1] ?? '';
    const children = front.match(/^children:\n((?:\s+- .*\n?)+)/m)?.[1] ?? '';
    for (const m of children.matchAll(/- (.+)/g)) files.push(join(dirname(doc), m[1]!.trim()));
  }
  return files;
}

/** A guide's `title` front matter. */
function titleOf(file: string): string {
  const title = readFileSync(join(docs, file), 'utf8').match(/^title:\s*"?(.+?)"?\s*$/m)?.[1];
  if (!title) throw new Error(`${file} has no title in its front matter`);
  return title;
}

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('documentation site', () => {
  let build: Build;
  let report: SiteReport;

  it('has the packages built (typedoc reads their declarations)', () => {
    const missing = readdirSync(join(repo, 'packages')).filter((p) => existsSync(join(repo, 'packages', p, 'package.json')) && !existsSync(join(repo, 'packages', p, 'dist/index.d.ts')));
    expect(missing, 'run `pnpm build` first').toEqual([]);
  });

  it('builds with every {@link}, include and relative path resolved', async () => {
    build = await buildSite();
    console.log(`typedoc: ${build.seconds.toFixed(0)} s, ${build.errors.length} errors, ${build.warnings.length} warnings`);
    // Anything typedoc says about a guide (a code block it cannot highlight, say) is ours to fix too.
    const titles = guideFiles().map(titleOf);
    const aboutGuides = (w: string) => titles.some((t) => w.includes(`for ${t} `) || w.includes(`document ${t}`) || w.endsWith(`for ${t}`));
    const other = build.warnings.filter((w) => !LINK_PROBLEM.test(w) && !aboutGuides(w));
    if (other.length) console.warn(`typedoc warnings that are not about links or guides (pnpm run docs fails on them):\n${other.join('\n')}`);
    expect(build.errors, 'typedoc errors').toEqual([]);
    expect(build.warnings.filter((w) => LINK_PROBLEM.test(w)), 'unresolved links, includes or paths').toEqual([]);
    expect(build.warnings.filter(aboutGuides), 'warnings about the guides').toEqual([]);
    expect(build.code).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  }, 900_000);

  it('has a page for every guide', () => {
    const pages = readdirSync(join(out, 'documents'));
    const titles = guideFiles().map(titleOf);
    expect(pages.length).toBeGreaterThanOrEqual(titles.length);
    const html = pages.map((p) => readFileSync(join(out, 'documents', p), 'utf8'));
    const missing = titles.filter((t) => !html.some((h) => h.includes(`<title>${t.replace(/&/g, '&amp;')} | `)));
    expect(missing).toEqual([]);
  });

  it('links to no missing page or anchor', () => {
    report = checkSite(out);
    console.log(`checked ${report.links} links on ${report.pages} pages`);
    expect(report.pages).toBeGreaterThan(100);
    expect(report.broken.length, `broken links:\n${formatBroken(report.broken)}`).toBe(0);
  });
});
