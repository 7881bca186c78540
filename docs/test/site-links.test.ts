/**
 * The link checker itself, on a small hand-made site: it must find missing
 * pages and missing anchors, resolve relative paths and folder links, read
 * typedoc's navigation data, and leave external links alone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite, extractIds, extractLinks, formatBroken, isExternal } from './site-links.js';

let root = '';

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** typedoc's encoding of its navigation and search data. */
function encoded(name: string, data: unknown): string {
  return `window.${name} = "${deflateSync(Buffer.from(JSON.stringify(data))).toString('base64')}"`;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'fovea-links-'));
  write('index.html', `<a href="documents/a.html#intro">a</a> <a href='guide/'>guide</a> <a href="https://typedoc.org/">ext</a>
    <a href="mailto:x@y.z">mail</a> <link href="assets/style.css"> <img src="media/missing.png"> <a href="#top">top</a><h1 id="top">x</h1>`);
  write('documents/a.html', `<h2 id="intro">i</h2><a href="../index.html">home</a> <a href="b.html">b</a> <a href="../index.html#nowhere">bad</a>
    <a href="../classes/X.html?x=1#method">m</a> <a href="../../outside.html">out</a> <svg><use href="../assets/icons.svg#icon-a"></use></svg>`);
  write('guide/index.html', '<p>guide</p>');
  write('classes/X.html', '<section id="method"></section>');
  write('assets/style.css', '');
  write('assets/icons.svg', '<svg><g id="icon-a"></g></svg>');
  write('assets/navigation.js', encoded('navigationData', [{ text: 'A', path: 'documents/a.html' }, { text: 'Gone', children: [{ path: 'documents/gone.html' }] }]));
  write('assets/search.js', encoded('searchData', { rows: [{ url: 'classes/X.html#method' }, { url: 'classes/Y.html' }], index: { fields: ['name'] } }));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('site link checker', () => {
  it('extracts links and ids from attributes in either quote style, unescaping entities', () => {
    expect(extractLinks(`<a href="a.html?x=1&amp;y=2">x</a><img src='b.png'>`)).toEqual(['a.html?x=1&y=2', 'b.png']);
    expect([...extractIds(`<h2 id="one"></h2><a name='two'></a>`)]).toEqual(['one', 'two']);
  });

  it('treats URLs with a scheme and protocol-relative URLs as external', () => {
    expect(['https://a.b', 'mailto:x@y', '//cdn/x.js', 'javascript:void(0)'].every(isExternal)).toBe(true);
    expect(['a.html', '../b.html#c', '#top', 'media/x.png'].some(isExternal)).toBe(false);
  });

  it('reports exactly the missing files and anchors, including navigation and search entries', () => {
    const r = checkSite(root);
    expect(r.pages).toBe(4);
    const found = r.broken.map((b) => `${b.page} -> ${b.link}: ${b.reason}`).sort();
    expect(found).toEqual([
      'assets/navigation.js -> documents/gone.html: missing file',
      'assets/search.js -> classes/Y.html: missing file',
      'documents/a.html -> ../../outside.html: missing file',
      'documents/a.html -> ../index.html#nowhere: missing anchor',
      'documents/a.html -> b.html: missing file',
      'index.html -> media/missing.png: missing file',
    ]);
    expect(formatBroken(r.broken)).toContain('documents/a.html:\n  b.html (missing file)');
  });
});
