/**
 * What every script of the example shares: the data (fresh seeded shapes
 * scenes for training, a fixed held-out set for testing), command-line
 * settings, a progress line, and a step-based training loop with
 * checkpoints and resume (@fovea/optim's `saveTrainingCheckpoint` /
 * `loadTrainingCheckpoint`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { Generator, type Module } from '@fovea/core';
import { shapesScenes, shapesToTargets, type ShapesScene, type ShapesSceneOptions, type ShapesTrainingBatch } from '@fovea/detection';
import { loadTrainingCheckpoint, saveTrainingCheckpoint, type LRScheduler, type Optimizer } from '@fovea/optim';

/** Image side of every scene: small enough to train on two CPU cores in minutes. */
export const SIZE = 64;
/** The scene distribution (the generator's defaults: 1–4 objects of 10–26 px, up to 0.3 box IoU, sky/ground stuff). */
export const SCENES: ShapesSceneOptions = { size: SIZE };
/** Seed of the held-out test scenes (training scenes come from each script's own seed). */
export const TEST_SEED = 20_240_917;
/** Number of held-out test scenes. */
export const TEST_SCENES = Number(process.env['TEST_SCENES'] ?? 300);

/** `examples/shapes-detection/out/`, where checkpoints, weights and PNGs go. */
export const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'out');
mkdirSync(OUT, { recursive: true });

/** An integer setting from the environment, e.g. `STEPS=2000`. */
export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Math.round(Number(v));
}

/** The held-out scenes (always the same). */
export function testScenes(n = TEST_SCENES): ShapesScene[] {
  return shapesScenes(n, { ...SCENES, generator: new Generator(TEST_SEED) });
}

/** A training batch of fresh scenes drawn from `gen` (its state is saved in checkpoints, so a resumed run sees the same data). */
export function trainingBatch(gen: Generator, n: number, masks = false): ShapesTrainingBatch {
  return shapesToTargets(shapesScenes(n, { ...SCENES, generator: gen }), { masks });
}

/** A one-line progress report, redrawn in place on a terminal, one line every `every` steps otherwise. */
export class Progress {
  private readonly tty = Boolean(process.stdout.isTTY);
  private last = 0;

  constructor(private readonly label: string, private readonly total: number, private readonly every = 50) {}

  update(done: number, elapsedSec: number, status: string): void {
    const now = Date.now();
    const line = `${this.label} ${done}/${this.total} ${elapsedSec.toFixed(0)}s ${status}`;
    if (this.tty) {
      if (now - this.last < 100 && done < this.total) return;
      this.last = now;
      process.stdout.write(`\r\x1b[2K${line.slice(0, (process.stdout.columns ?? 120) - 1)}`);
      if (done === this.total) process.stdout.write('\n');
    } else if (done % this.every === 0 || done === this.total) {
      process.stdout.write(`${line}\n`);
    }
  }
}

/** Formats named losses for the progress line. */
export function fmtLosses(losses: Record<string, number>): string {
  return Object.entries(losses)
    .map(([k, v]) => `${k.replace(/^loss_/, '')} ${v.toFixed(3)}`)
    .join(' · ');
}

/** What one training step reports. */
export interface StepResult {
  loss: number;
  losses: Record<string, number>;
}

/** The pieces of a training run. */
export interface TrainRun {
  /** Name for logs and files, e.g. `faster-rcnn`. */
  name: string;
  model: Module;
  optimizer: Optimizer;
  scheduler: LRScheduler;
  /** Every random stream of the run (data, sampling), saved and restored with the checkpoint. */
  generators: Generator[];
  /** Total optimizer steps. */
  steps: number;
  /** One optimizer step (forward, backward, update); `step` counts from 0. */
  step: (step: number) => Promise<StepResult>;
  /** Steps between checkpoints; default 100. */
  checkpointEvery?: number;
}

/** What {@link train} returns. */
export interface TrainReport {
  /** Seconds spent training, summed over resumed runs (checkpoint writes excluded). */
  seconds: number;
  /** Moving average of the loss at the end. */
  finalLoss: number;
}

/**
 * Runs `run.steps` steps, resuming from `out/<name>.ckpt.safetensors` if it
 * exists (`FRESH=1` ignores it), writing it every `checkpointEvery` steps and
 * at the end; prints progress with a moving average of each loss term.
 */
export async function train(run: TrainRun): Promise<TrainReport> {
  const path = resolve(OUT, `${run.name}.ckpt.safetensors`);
  let start = 0;
  let seconds = 0;
  if (existsSync(path) && process.env['FRESH'] !== '1') {
    const { meta, tensors } = await loadTrainingCheckpoint(path, { model: run.model, optimizer: run.optimizer, scheduler: run.scheduler, generators: run.generators });
    tf.dispose(Object.values(tensors));
    start = meta.globalStep;
    seconds = Number(meta.extra['seconds'] ?? 0);
    console.log(`${run.name}: resumed from ${path} at step ${start} (${seconds.toFixed(0)} s trained so far)`);
  }
  const every = run.checkpointEvery ?? 100;
  const progress = new Progress(run.name, run.steps);
  const avg: Record<string, number> = {};
  run.model.train();
  const save = async (step: number) =>
    saveTrainingCheckpoint(path, { model: run.model, optimizer: run.optimizer, scheduler: run.scheduler, generators: run.generators, epoch: 0, globalStep: step, extra: { seconds } });
  for (let s = start; s < run.steps; s++) {
    const t0 = performance.now();
    const r = await run.step(s);
    run.scheduler.step();
    seconds += (performance.now() - t0) / 1000;
    if (!Number.isFinite(r.loss)) throw new Error(`${run.name}: loss became ${r.loss} at step ${s}`);
    for (const [k, v] of Object.entries({ loss: r.loss, ...r.losses })) avg[k] = avg[k] === undefined ? v : 0.95 * avg[k]! + 0.05 * v;
    const { loss, ...terms } = avg;
    progress.update(s + 1, seconds, `loss ${loss!.toFixed(3)} (${fmtLosses(terms)}) lr ${run.scheduler.getLastLr()[0]!.toExponential(1)}`);
    if ((s + 1) % every === 0 || s + 1 === run.steps) await save(s + 1);
  }
  run.model.eval();
  return { seconds, finalLoss: avg['loss'] ?? NaN };
}

/** Prints a line and keeps it for the run's summary file. */
export function report(lines: string[], line: string): void {
  console.log(line);
  lines.push(line);
}
