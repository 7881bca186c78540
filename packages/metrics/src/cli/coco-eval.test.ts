import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './coco-eval.js';

interface Scene {
  gt: unknown;
  dt: unknown;
  params: unknown;
  stats: number[];
  summary: string;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/coco.json', import.meta.url), 'utf8')) as { scenes: Scene[] };
const dir = mkdtempSync(join(tmpdir(), 'fovea-coco-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('fovea-coco-eval', () => {
  const s = fx.scenes.find((x) => x.params === null)!;
  const gt = join(dir, 'gt.json');
  const dt = join(dir, 'dt.json');
  writeFileSync(gt, JSON.stringify(s.gt));
  writeFileSync(dt, JSON.stringify(s.dt));

  it("prints pycocotools' 12 summary lines and the evaluation time", async () => {
    const r = await run(['--gt', gt, '--dt', dt]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 12).join('\n')).toBe(s.summary);
    expect(lines[12]).toMatch(/^evaluation: \d+\.\d{3} s \(evaluate \+ accumulate \+ summarize\); files read in \d+\.\d{3} s$/);
  });

  it('--json prints the named statistics and timings', async () => {
    const r = await run(['--json', '--gt', gt, '--dt', dt]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { stats: Record<string, number>; eval_s: number; load_s: number };
    expect(Object.keys(j.stats)).toEqual(['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl']);
    Object.values(j.stats).forEach((v, i) => expect(v).toBeCloseTo(s.stats[i]!, 12));
    expect(j.eval_s).toBeGreaterThanOrEqual(0);
  });

  it('reports usage errors, unreadable files and bad records with a non-zero exit', async () => {
    expect((await run(['--gt', gt])).code).toBe(2);
    expect((await run(['--gt', gt])).err).toContain('missing --dt');
    expect((await run(['--bogus'])).err).toContain("unknown argument '--bogus'");
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.err).toContain('usage: fovea-coco-eval --gt');
    const missing = await run(['--gt', join(dir, 'nope.json'), '--dt', dt]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/readCocoJson: path must be a readable file, got '.*nope.json'/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ image_id: -5, category_id: 1, bbox: [0, 0, 1, 1], score: 1 }]));
    const r = await run(['--gt', gt, '--dt', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('cocoEvaluate: results[0].image_id must be the id of an image of the ground truth, got -5');
    writeFileSync(bad, '{not json');
    expect((await run(['--gt', bad, '--dt', dt])).err).toMatch(/readCocoJson: path must be a JSON file/);
  });
});
