#!/usr/bin/env node
/**
 * Writes docs/guides/conformance.md: every op of ../shared/conformance/ops/*.md,
 * its reference, and on which backends its public cases passed, from the
 * latest lane results (out/conformance/<pkg>.<backend>.json, written by the
 * conformance lanes and by `pnpm conformance … --out`), scored with the
 * runner's port of compare.py, and tools/conformance/claimed.json.
 *
 *   node docs/scripts/conformance-table.mjs [--shared <dir>] [--results <dir>] [--out <file>]
 *
 * Needs the built runner (`npx tsc -b tools/conformance`, or `pnpm build`).
 * Defaults: --shared $FOVEA_SHARED or <repo>/../shared, --results
 * <repo>/out/conformance, --out <repo>/docs/guides/conformance.md.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BACKENDS = ['cpu', 'wasm', 'webgpu'];

function args() {
  const a = process.argv.slice(2);
  const get = (flag, fallback) => {
    const i = a.indexOf(flag);
    return i >= 0 && a[i + 1] ? resolve(a[i + 1]) : fallback;
  };
  return {
    shared: get('--shared', resolve(process.env.FOVEA_SHARED ?? join(repo, '../shared'))),
    results: get('--results', join(repo, 'out/conformance')),
    out: get('--out', join(repo, 'docs/guides/conformance.md')),
  };
}

/** Splits a markdown table row into cells, keeping escaped pipes (`\|`) inside cells. */
export function cells(row) {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  const out = [];
  let cur = '';
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\' && inner[i + 1] === '|') {
      cur += '\\|';
      i++;
    } else if (inner[i] === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += inner[i];
  }
  out.push(cur.trim());
  return out;
}

/**
 * The first sentence of `text` (outside tables) that mentions a reference, or
 * ''. Code spans are masked while splitting, so `core.softmax` ends no sentence.
 */
export function referenceSentence(text) {
  const prose = text
    .split('\n')
    .filter((l) => !l.trim().startsWith('|') && l.trim() !== '---')
    .join(' ')
    .replace(/\s+/g, ' ');
  const spans = [];
  const masked = prose.replace(/`[^`]*`/g, (m) => `\u0000${spans.push(m) - 1}\u0000`);
  const sentence = masked.split(/(?<=\.)\s+/).find((x) => /\breferences?\b/i.test(x));
  return sentence ? sentence.trim().replace(/\u0000(\d+)\u0000/g, (_, i) => spans[Number(i)]) : '';
}

/**
 * Parses an ops/<pkg>.md file into its ops: `## <pkg>.<op>` sections, each
 * with the `| reference | … |` row of its table, else the section's sentence
 * naming its reference, else the file's own statement of its references.
 */
export function parseOps(markdown, pkg, fileReference) {
  const [header, ...sections] = markdown.split(/^## /m);
  const headerReference = referenceSentence(header.replace(/^#.*$/m, ''));
  const ops = [];
  for (const s of sections) {
    const [head, ...body] = s.split('\n');
    const name = head.trim();
    if (!name.startsWith(`${pkg}.`)) continue;
    const text = body.join('\n');
    const row = body.find((l) => /^\|\s*reference\s*\|/i.test(l));
    let reference = row ? cells(row)[1] ?? '' : '';
    let source = 'table';
    if (!reference) {
      reference = referenceSentence(text);
      source = 'prose';
    }
    if (!reference) {
      // The section states formulas only: name the file's reference when its header
      // names one ("Reference: `torch.optim` …"), else say the formulas are the reference.
      const named = headerReference.match(/^references?:\s*(.*)$/i);
      reference = named ? `${named[1].replace(/\.$/, "")} (formulas in \`ops/${pkg}.md\`)` : `the formulas of \`ops/${pkg}.md\` (${fileReference})`;
      source = 'file';
    }
    ops.push({ op: name, reference, source });
  }
  return ops;
}

function fmtDate(ms) {
  return new Date(ms).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
}

async function loadScore() {
  const path = join(repo, 'tools/conformance/dist/compare.js');
  if (!existsSync(path)) {
    throw new Error(`${relative(repo, path)} is missing: build the runner first (npx tsc -b tools/conformance, or pnpm build)`);
  }
  return (await import(pathToFileURL(path).href)).score;
}

/** One table cell: passed/total, or — when the backend has no results. */
function cell(s) {
  if (!s) return '—';
  return s.ok === s.n ? `✓ ${s.ok}/${s.n}` : `✗ ${s.ok}/${s.n}`;
}

async function main() {
  const opt = args();
  const score = await loadScore();
  const opsDir = join(opt.shared, 'conformance/ops');
  const casesDir = join(opt.shared, 'conformance/cases');
  if (!existsSync(opsDir)) throw new Error(`${opsDir} not found (pass --shared or set FOVEA_SHARED)`);
  const claimed = JSON.parse(readFileSync(join(repo, 'tools/conformance/claimed.json'), 'utf8')).packages;
  const pkgs = readdirSync(opsDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => basename(f, '.md'))
    .sort();

  const summary = [];
  const sections = [];
  const runs = []; // results files used, with their dates
  let totalOps = 0;
  let totalCases = 0;
  for (const pkg of pkgs) {
    const casesPath = join(casesDir, `${pkg}.json`);
    const cases = existsSync(casesPath) ? JSON.parse(readFileSync(casesPath, 'utf8')) : { cases: [] };
    const ops = parseOps(readFileSync(join(opsDir, `${pkg}.md`), 'utf8'), pkg, cases.reference ?? 'see the file');
    const caseCount = new Map();
    for (const c of cases.cases) caseCount.set(c.op, (caseCount.get(c.op) ?? 0) + 1);
    // per backend: op -> {ok, n}
    const perBackend = {};
    for (const b of BACKENDS) {
      const p = join(opt.results, `${pkg}.${b}.json`);
      if (!existsSync(p)) continue;
      const results = JSON.parse(readFileSync(p, 'utf8'));
      const s = score(cases, results);
      perBackend[b] = new Map(s.ops.map((o) => [o.op, o]));
      perBackend[b].total = s;
      runs.push({ file: relative(repo, p), date: statSync(p).mtimeMs });
    }
    totalOps += ops.length;
    totalCases += cases.cases.length;
    const isClaimed = claimed.includes(pkg);
    const pkgCell = (b) => {
      const t = perBackend[b]?.total;
      return t ? `${t.failed === 0 ? '✓' : '✗'} ${t.passed}/${t.passed + t.failed}` : '—';
    };
    summary.push(`| [\`@fovea/${pkg}\`](#${pkg}) | ${ops.length} | ${cases.cases.length} | ${BACKENDS.map(pkgCell).join(' | ')} | ${isClaimed ? 'yes' : 'not yet'} |`);

    const rows = ops.map((o) => {
      const n = caseCount.get(o.op) ?? 0;
      const by = BACKENDS.map((b) => cell(perBackend[b]?.get(o.op)));
      return `| \`${o.op}\` | ${o.reference.replace(/\n/g, ' ')} | ${n} | ${by.join(' | ')} |`;
    });
    sections.push(
      [
        `## ${pkg}`,
        '',
        `{@linkcode @fovea/${pkg}! | @fovea/${pkg}} · reference: ${cases.reference ?? 'see ops/' + pkg + '.md'} · ${isClaimed ? 'claimed: the lanes fail on any failing case' : 'not claimed yet: the lanes report its cases without failing'}`,
        '',
        '| op | reference | cases | cpu | wasm | webgpu |',
        '|---|---|---:|---|---|---|',
        ...rows,
        '',
      ].join('\n'),
    );
  }

  const newest = runs.length ? fmtDate(Math.max(...runs.map((r) => r.date))) : null;
  const oldest = runs.length ? fmtDate(Math.min(...runs.map((r) => r.date))) : null;
  const md = [
    '---',
    'title: Conformance',
    'category: Reference',
    '---',
    '',
    '<!-- Generated by docs/scripts/conformance-table.mjs; do not edit by hand. -->',
    '',
    '# Conformance',
    '',
    `Fovea's numerical contract is a list of ${totalOps} ops, each with a reference`,
    '(PyTorch 1.13 and torchvision 0.14 from Debian, pycocotools, scikit-learn,',
    'scikit-image, or a formula stated in the op\'s specification) and public cases',
    `with expected values (${totalCases} in all). The conformance runner feeds every case`,
    'through the packages\' **public** API (PyTorch layouts in and out, converted with',
    'the packages\' own interop helpers, weights loaded with `loadStateDict`) on one',
    'backend and writes what the library computed; the comparison is separate, with',
    'the case\'s tolerance (typically `|got − want| ≤ 1e-4 + 1e-4·|want|`, `1e-3`',
    'for cases with gradients; integer and boolean outputs exactly). Gradients are',
    'taken with the library\'s autograd and compared with PyTorch\'s.',
    '',
    'Each cell below is *passed/total* public cases of that op on that backend, from',
    'the results files of the latest lane run; `—` means that backend has no results',
    'file. A package is *claimed* once all its cases pass on all three backends: from',
    'then on the test lanes fail on any failing case. Hidden cases made by the same',
    'generators with other seeds, bigger shapes and edge cases (empty inputs, ties) are',
    'scored the same way but are not in this table. The webgpu lane uses whatever',
    'adapter the machine has, forced with `FOVEA_BACKEND=webgpu`; on CI and the',
    'development machines that is Mesa\'s lavapipe, a software Vulkan driver (see',
    '[Backends](./backends.md)): the same shaders as on a GPU, without the speed.',
    '',
    newest
      ? `Results: ${runs.length} files in \`out/conformance/\`, written between ${oldest} and ${newest}.`
      : 'Results: none yet (run the conformance lanes, then this script).',
    '',
    'Regenerate with:',
    '',
    '```sh',
    'bash scripts/setup-webgpu.sh && source .cache/lavapipe/env.sh   # WebGPU in Node without a GPU',
    'npx vitest run --project lane-cpu --project lane-wasm --project lane-webgpu   # writes out/conformance/<pkg>.<backend>.json',
    'node docs/scripts/conformance-table.mjs',
    '```',
    '',
    '| package | ops | cases | cpu | wasm | webgpu | claimed |',
    '|---|---:|---:|---|---|---|---|',
    ...summary,
    '',
    ...sections,
  ].join('\n');
  writeFileSync(opt.out, md);
  console.log(`wrote ${relative(process.cwd(), opt.out)}: ${pkgs.length} packages, ${totalOps} ops, ${runs.length} results files`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`conformance-table: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
