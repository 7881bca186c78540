/**
 * Finds broken links in a generated static site: every local `href`/`src`
 * of every HTML page (and the page paths of typedoc's navigation and search
 * data) must name a file of the site, and a `#fragment` must name an
 * element id (or anchor name) of the page it points to.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { inflateSync } from 'node:zlib';

/** One broken reference: which page, which attribute value, and why. */
export interface BrokenLink {
  /** The page holding the link, relative to the site root. */
  page: string;
  /** The link as written. */
  link: string;
  /** `missing file` or `missing anchor`. */
  reason: 'missing file' | 'missing anchor';
}

/** What {@link checkSite} looked at. */
export interface SiteReport {
  /** HTML pages scanned. */
  pages: number;
  /** Local links checked (file and fragment references). */
  links: number;
  /** The broken ones. */
  broken: BrokenLink[];
}

/** Every file under `dir`, as paths relative to it with `/` separators. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

const ATTR = /\s(?:href|src)\s*=\s*("([^"]*)"|'([^']*)')/gi;
const ID = /\s(?:id|name)\s*=\s*("([^"]*)"|'([^']*)')/gi;

/** Decodes the few entities typedoc writes inside attribute values. */
function unescapeAttr(v: string): string {
  return v.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** The `href`/`src` values of an HTML document (unescaped). */
export function extractLinks(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(ATTR)) out.push(unescapeAttr(m[2] ?? m[3] ?? ''));
  return out;
}

/** The element ids and anchor names of an HTML or SVG document. */
export function extractIds(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(ID)) out.add(unescapeAttr(m[2] ?? m[3] ?? ''));
  return out;
}

/** Whether a link leaves the site (a URL scheme, protocol-relative) and is not checked. */
export function isExternal(link: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//');
}

/**
 * The page paths in typedoc's `assets/navigation.js` (every `path` of its
 * tree) and `assets/search.js` (every row's `url`): base64 of deflated JSON,
 * paths relative to the site root. `[]` when the site has neither.
 */
export function typedocDataPaths(root: string, files: Set<string>): { from: string; path: string }[] {
  const decode = (asset: string): unknown => {
    if (!files.has(asset)) return null;
    const m = readFileSync(join(root, asset), 'utf8').match(/"([A-Za-z0-9+/=]+)"/);
    return m ? (JSON.parse(inflateSync(Buffer.from(m[1]!, 'base64')).toString('utf8')) as unknown) : null;
  };
  const out: { from: string; path: string }[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'path' && typeof x === 'string') out.push({ from: 'assets/navigation.js', path: x });
        else visit(x);
      }
    }
  };
  visit(decode('assets/navigation.js'));
  const search = decode('assets/search.js') as { rows?: { url?: unknown }[] } | null;
  for (const row of search?.rows ?? []) if (typeof row.url === 'string') out.push({ from: 'assets/search.js', path: row.url });
  return out;
}

/**
 * Checks every local link of the site under `root`. A link is resolved
 * against its page's folder (query strings ignored); a link to a folder
 * means its `index.html`.
 */
export function checkSite(root: string): SiteReport {
  const all = listFiles(root);
  const files = new Set(all);
  const idCache = new Map<string, Set<string>>();
  const ids = (file: string): Set<string> => {
    let s = idCache.get(file);
    if (!s) {
      s = extractIds(readFileSync(join(root, file), 'utf8'));
      idCache.set(file, s);
    }
    return s;
  };
  const broken: BrokenLink[] = [];
  let links = 0;

  const check = (page: string, base: string, link: string): void => {
    if (link === '' || isExternal(link)) return;
    links++;
    const hash = link.indexOf('#');
    const pathPart = (hash >= 0 ? link.slice(0, hash) : link).replace(/\?.*$/, '');
    const fragment = hash >= 0 ? decodeURIComponent(link.slice(hash + 1)) : '';
    let target = pathPart === '' ? page : normalize(join(base, decodeURIComponent(pathPart))).split(sep).join('/');
    if (target.startsWith('../')) {
      broken.push({ page, link, reason: 'missing file' });
      return;
    }
    if (target === '.' || target.endsWith('/')) target = `${target === '.' ? '' : target}index.html`;
    if (!files.has(target) && files.has(`${target}/index.html`)) target = `${target}/index.html`;
    if (!files.has(target)) {
      broken.push({ page, link, reason: 'missing file' });
      return;
    }
    if (fragment && /\.(html|svg)$/.test(target) && !ids(target).has(fragment)) {
      broken.push({ page, link, reason: 'missing anchor' });
    }
  };

  const pages = all.filter((f) => f.endsWith('.html'));
  for (const page of pages) {
    const base = dirname(page);
    for (const link of extractLinks(readFileSync(join(root, page), 'utf8'))) check(page, base, link);
  }
  for (const { from, path } of typedocDataPaths(root, files)) check(from, '.', path);
  return { pages: pages.length, links, broken };
}

/** A readable list of broken links, grouped by page. */
export function formatBroken(broken: BrokenLink[]): string {
  const byPage = new Map<string, BrokenLink[]>();
  for (const b of broken) byPage.set(b.page, [...(byPage.get(b.page) ?? []), b]);
  return [...byPage.entries()].map(([page, bs]) => `${page}:\n${bs.map((b) => `  ${b.link} (${b.reason})`).join('\n')}`).join('\n');
}
