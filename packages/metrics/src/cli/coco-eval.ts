#!/usr/bin/env node
/**
 * fovea-coco-eval --gt gt.json --dt dt.json [--json]
 *
 * COCO box evaluation from the command line, a drop-in for pycocotools'
 * `COCOeval(gt, gt.loadRes(dt), 'bbox')`: prints the 12 statistics as
 * `summarize()` does and the evaluation time (evaluate + accumulate +
 * summarize, after the files are read), or a JSON object with `--json`.
 */
import { realpathSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { isFoveaError } from '@fovea/core';
import { cocoEvaluate } from '../detection/coco-evaluate.js';
import { readCocoJson } from '../detection/coco-files.js';
import { formatCocoSummary } from '../detection/coco-summary.js';
import type { CocoGroundTruth, CocoResult } from '../detection/coco-types.js';

const USAGE = 'usage: fovea-coco-eval --gt <annotations.json> --dt <results.json> [--json]';

interface Args {
  gt: string;
  dt: string;
  json: boolean;
}

function parseArgs(argv: string[]): Args | string {
  let gt: string | undefined;
  let dt: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--gt') gt = argv[++i];
    else if (a === '--dt') dt = argv[++i];
    else if (a === '--json') json = true;
    else if (a === '-h' || a === '--help') return '';
    else return `unknown argument '${a}'`;
  }
  if (!gt) return 'missing --gt';
  if (!dt) return 'missing --dt';
  return { gt, dt, json };
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], log: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (args) err(`fovea-coco-eval: ${args}`);
    err(USAGE);
    return args ? 2 : 0;
  }
  try {
    const t0 = performance.now();
    const gt = (await readCocoJson(args.gt)) as CocoGroundTruth;
    const dt = (await readCocoJson(args.dt)) as CocoResult[];
    const t1 = performance.now();
    const result = cocoEvaluate(gt, dt);
    const t2 = performance.now();
    const loadS = (t1 - t0) / 1000;
    const evalS = (t2 - t1) / 1000;
    if (args.json) {
      log(JSON.stringify({ stats: result.named, load_s: round(loadS), eval_s: round(evalS) }));
    } else {
      log(formatCocoSummary(result));
      log(`evaluation: ${evalS.toFixed(3)} s (evaluate + accumulate + summarize); files read in ${loadS.toFixed(3)} s`);
    }
    return 0;
  } catch (e) {
    err(`fovea-coco-eval: ${isFoveaError(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Whether this module is the program node was started with (also through a `bin` symlink). */
function isEntry(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(arg)).href;
  } catch {
    return false;
  }
}

if (isEntry()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
