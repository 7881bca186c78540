/**
 * @fovea/generative: the conditional DCGAN of examples/generative/src/cgan.ts
 * trained live on the digits — a grid with one row per class (10 × 8
 * samples, one fixed latent per column so a column keeps its style across
 * classes) redrawn after each round, a class selector showing fresh samples
 * of one class, and the D/G loss curves.
 *
 * Same model and settings as the example: `DCGANGenerator` (latent 64, base
 * 16 channels, one-hot label next to the latent) and a projection
 * `DCGANDiscriminator`, `ganTrainStep` with the non-saturating loss,
 * one-sided label smoothing 0.9, Adam lr 5e-4, β = (0.5, 0.999), batch 64.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, decodeSafetensors, loadDigits, type Sequential } from '@fovea/core';
import { DCGANDiscriminator, DCGANGenerator, ganTrainStep } from '@fovea/generative';
import { Adam } from '@fovea/optim';
import { BatchSampler, accuracyOf } from '../models.js';
import type { GalleryPage, PageHandle } from '../types.js';
import { drawGrid, el, fetchWeights, nextFrame, plotLine, releaseWhenIdle } from '../ui.js';

const LATENT = 64;
const BASE = 16; // DCGAN's ngf / ndf for 28×28: 7×7×32 → 14×14×16 → 28×28
const BATCH = 64;
const LR = 5e-4;
const REAL_LABEL = 0.9; // one-sided label smoothing
const COLS = 8; // samples per class in the grid
const PICK = 16; // samples of the selected class

export const cganPage: GalleryPage = {
  id: 'cgan',
  title: 'Conditional GAN by class',
  pkg: '@fovea/generative, @fovea/optim',
  async mount(root, ctx) {
    const steps1 = Math.floor(8000 / BATCH);
    const status = el('div', { className: 'status' }, 'loading the digits…');
    const plot = el('canvas', { width: 464, height: 220 });
    const gridCanvas = el('canvas', { width: 500, height: 600 });
    const pickCanvas = el('canvas', { width: 300, height: 100 });
    const train = el('button', { disabled: true }, `Train 1 epoch (${steps1} steps)`);
    const load = el('button', { disabled: true }, 'Load pretrained weights');
    const resample = el('button', {}, 'Resample');
    const select = el('select', {}, ...Array.from({ length: 10 }, (_, c) => el('option', { value: String(c) }, `digit ${c}`)));
    const side = el(
      'div',
      {},
      el('div', { className: 'card' }, el('label', {}, 'class ', select, ' ', resample), pickCanvas),
      el('div', { className: 'card' }, plot),
      el('div', {}, train, ' ', load, status),
    );
    side.style.maxWidth = '500px'; // next to the grid, not below it
    root.append(
      el(
        'p',
        {},
        `A conditional DCGAN from @fovea/generative on the 8,000 training digits of the canonical split: the generator sees a one-hot label next to its ${LATENT}-dimensional latent, ` +
          `the discriminator scores (image, label) pairs by projection. Trained with ganTrainStep — non-saturating loss, one-sided label smoothing ${REAL_LABEL}, Adam (lr ${LR}, β₁ 0.5), batch ${BATCH}. ` +
          `The grid has one row per class; each column keeps one latent, so it keeps its style across classes. Pick a class to see fresh samples of it.`,
      ),
      el(
        'div',
        { className: 'row' },
        el('div', { className: 'card' }, `${COLS} samples per class (rows 0–9)`, el('br'), gridCanvas),
        side,
      ),
    );

    const digits = await loadDigits();
    const realScaled = tf.tidy(() => tf.sub(tf.mul(digits.train.images, 2), 1)) as tf.Tensor4D; // [0, 1] → [−1, 1], the tanh range
    const trainLabels = digits.train.labels;
    tf.dispose([digits.train.images, digits.val.images, digits.val.labels, digits.test.images, digits.test.labels]);

    const gen = new Generator(0);
    const G = new DCGANGenerator({ imageShape: [28, 28, 1], latentDim: LATENT, baseChannels: BASE, numClasses: 10, generator: gen });
    const D = new DCGANDiscriminator({ imageShape: [28, 28, 1], baseChannels: BASE, numClasses: 10, conditioning: 'projection', generator: gen });
    let optG = new Adam(G.parameters(), { lr: LR, betas: [0.5, 0.999] });
    let optD = new Adam(D.parameters(), { lr: LR, betas: [0.5, 0.999] });
    const gridZ = tf.tidy(() => tf.tile(G.sampleLatent(COLS, gen), [10, 1])); // [10·COLS, Z]: column j uses z_j in every row
    const gridLabels = tf.tensor1d(Array.from({ length: 10 * COLS }, (_, i) => Math.floor(i / COLS)), 'int32');
    const n = trainLabels.shape[0]!;
    const dLosses: number[] = [];
    const gLosses: number[] = [];
    let classAcc = NaN; // share of grid digits the digits CNN of the training page reads as their row's class
    const batches = new BatchSampler(n, BATCH, gen);
    let stopped = false;
    let busy = false;
    let drawing = 0; // draws in flight (dispose waits for them)
    let pretrained = false;

    const summary = (): string =>
      `step ${dLosses.length} (${(dLosses.length / steps1).toFixed(2)} epochs${pretrained ? ' after the pretrained weights' : ''}): ` +
      (dLosses.length ? `D loss ${dLosses.at(-1)!.toFixed(3)}, G loss ${gLosses.at(-1)!.toFixed(3)}` : 'untrained') +
      (Number.isFinite(classAcc) ? `, the digits CNN reads ${(100 * classAcc).toFixed(1)} % of the ${10 * COLS} grid digits as their row's class` : '');
    const showStatus = (extra = ''): void => {
      const cnn = ctx.shared.has('digits-cnn') ? '' : '\n(train the CNN on the first page to have the grid graded)';
      status.textContent = `${summary()}\nbackend ${ctx.backend.backend}${cnn}${extra}`;
    };

    /** `G(z, labels)` in eval mode, mapped from tanh's range to [0, 1]. */
    const generate = (z: tf.Tensor, labels: tf.Tensor): tf.Tensor =>
      tf.tidy(() => {
        G.eval();
        const x = tf.div(tf.add(G.forward(z, labels), 1), 2);
        G.train();
        return x;
      });
    const drawClass = async (): Promise<void> => {
      drawing++;
      try {
        const c = Number(select.value);
        const imgs = tf.tidy(() => generate(G.sampleLatent(PICK, gen), tf.fill([PICK], c, 'int32')));
        drawGrid(pickCanvas, await imgs.data(), PICK, 28, 28, { cols: PICK / 2, scale: 2 });
        imgs.dispose();
      } finally {
        drawing--;
      }
    };
    /** The class grid (and, if the training page's CNN exists, its grading of it) and the selected class. */
    const render = async (): Promise<void> => {
      drawing++;
      try {
        const imgs = generate(gridZ, gridLabels); // [80, 28, 28, 1]
        drawGrid(gridCanvas, await imgs.data(), 10 * COLS, 28, 28, { cols: COLS, scale: 2, rowLabels: Array.from({ length: 10 }, (_, c) => String(c)) });
        const cnn = ctx.shared.get('digits-cnn') as Sequential | undefined;
        if (cnn) {
          cnn.eval();
          const logits = tf.tidy(() => cnn.forward(imgs));
          classAcc = await accuracyOf(logits, gridLabels);
          logits.dispose();
        }
        imgs.dispose();
        await drawClass();
      } finally {
        drawing--;
      }
    };
    select.onchange = resample.onclick = () => {
      if (!stopped) void drawClass();
    };

    const step = async (): Promise<void> => {
      const idx = batches.next(); // full batches only (BatchNorm)
      const x = tf.gather(realScaled, idx);
      const y = tf.gather(trainLabels, idx);
      const r = ganTrainStep(G, D, optG, optD, x, { labels: y, generator: gen, generatorLoss: 'non_saturating', realLabel: REAL_LABEL });
      dLosses.push((await r.dLoss.data())[0]!);
      gLosses.push((await r.gLoss.data())[0]!);
      tf.dispose([idx, x, y, r.dLoss, r.gLoss]);
    };
    let hasWeights = false;
    const setBusy = (b: boolean): void => {
      busy = b;
      train.disabled = b || stopped;
      load.disabled = b || stopped || !hasWeights;
    };
    const plotLosses = (): void =>
      plotLine(plot, [{ ys: dLosses, color: '#3b6fd8', label: 'D loss' }, { ys: gLosses, color: '#e08a3c', label: 'G loss' }], `losses after ${dLosses.length} steps`);
    const trainFor = async (steps: number): Promise<void> => {
      setBusy(true);
      try {
        G.train();
        D.train();
        for (let i = 0; i < steps && !stopped; i++) {
          await step();
          if (i % 5 === 4 || i === steps - 1) {
            plotLosses();
            showStatus(`\ntraining: ${i + 1}/${steps}`);
            await nextFrame();
          }
          if (i % 50 === 49 && i < steps - 1 && !stopped) await render(); // the grid as it learns
        }
        if (!stopped) {
          await render();
          showStatus();
        }
      } finally {
        setBusy(false);
      }
    };
    train.onclick = () => void trainFor(steps1);

    /**
     * Loads the generator and discriminator scripts/train-weights.ts wrote to public/weights/cgan.safetensors
     * (keys `G.*` and `D.*`), when they are there, and restarts both Adams: the page starts from them, and the
     * button goes back to them after live training.
     */
    const loadPretrained = async (): Promise<string | null> => {
      const bytes = await fetchWeights('cgan.safetensors');
      if (!bytes) return null;
      const { tensors, metadata } = decodeSafetensors(bytes, { source: 'weights/cgan.safetensors' });
      try {
        for (const [prefix, net] of [['G.', G], ['D.', D]] as const) {
          const part = Object.fromEntries(Object.entries(tensors).filter(([k]) => k.startsWith(prefix)).map(([k, t]) => [k.slice(prefix.length), t]));
          net.loadStateDict(part);
        }
      } finally {
        tf.dispose(Object.values(tensors));
      }
      optG.dispose();
      optD.dispose();
      optG = new Adam(G.parameters(), { lr: LR, betas: [0.5, 0.999] });
      optD = new Adam(D.parameters(), { lr: LR, betas: [0.5, 0.999] });
      pretrained = true;
      dLosses.length = 0;
      gLosses.length = 0;
      return metadata.trained ?? 'trained offline';
    };
    load.onclick = async () => {
      setBusy(true);
      try {
        const what = await loadPretrained();
        await render();
        plotLosses();
        showStatus(what ? `\nreloaded the pretrained weights (${what})` : '\nthe pretrained weights could not be fetched');
      } finally {
        setBusy(false);
      }
    };

    const loaded = await loadPretrained();
    hasWeights = loaded !== null;
    await render();
    showStatus(
      `\nready: ${n} training digits; generator ${G.numParameters().toLocaleString('en')} parameters, discriminator ${D.numParameters().toLocaleString('en')}; ` +
        (loaded ? `started from the pretrained weights (${loaded})` : 'untrained (no pretrained weights in public/weights/)'),
    );
    setBusy(false);

    const handle: PageHandle = {
      demo: async (steps) => {
        await trainFor(steps);
        if (stopped) return 'stopped: the page was left';
        select.value = '3';
        await drawClass();
        return `${summary()}; grid of ${10 * COLS} and ${PICK} samples of class 3 drawn (${ctx.backend.backend})`;
      },
      dispose: () => {
        stopped = true;
        train.disabled = load.disabled = resample.disabled = true;
        releaseWhenIdle(() => busy || drawing > 0, () => {
          G.dispose();
          D.dispose();
          optG.dispose();
          optD.dispose();
          tf.dispose([realScaled, trainLabels, gridZ, gridLabels]);
        });
      },
    };
    return handle;
  },
};
