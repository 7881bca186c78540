/**
 * @fovea/generative: a VAE with a small latent trained live on the binarized
 * digits, one slider per latent dimension decoding `z` to a digit as you move
 * it, a strip of test reconstructions and the negative-ELBO curve.
 *
 * The model is the example's (examples/generative/src/vae.ts): `VAE` with a
 * 784-400-Z-400-784 fully connected encoder/decoder and a Bernoulli decoder,
 * Adam lr 1e-3, batch 100 — with Z = 4 instead of 20 so that each slider moves
 * a coordinate the decoder really uses.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, decodeSafetensors, loadDigits, randn } from '@fovea/core';
import { VAE } from '@fovea/generative';
import { Adam } from '@fovea/optim';
import type { GalleryPage, PageHandle } from '../types.js';
import { BatchSampler } from '../models.js';
import { drawGrid, drawImage, el, fetchWeights, nextFrame, plotLine, releaseWhenIdle } from '../ui.js';

const LATENT = 4; // small enough that every slider means something
const HIDDEN = [400]; // Kingma & Welling's MNIST width, as in the example
const BATCH = 100;
const LR = 1e-3;
const RANGE = 3; // sliders span ±3 prior standard deviations
const STRIP = 10; // test digits in the reconstruction strip (one per class)

/** The canonical split's images thresholded at 0.5 (static binarization, as the example does for a Bernoulli decoder). */
function binarize(x: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => tf.cast(tf.greater(x, 0.5), 'float32')) as tf.Tensor4D;
}

export const vaeSlidersPage: GalleryPage = {
  id: 'vae-sliders',
  title: 'VAE latent sliders',
  pkg: '@fovea/generative, @fovea/optim',
  async mount(root, ctx) {
    const status = el('div', { className: 'status' }, 'loading the digits…');
    const plot = el('canvas', { width: 520, height: 220 });
    const decoded = el('canvas', { width: 224, height: 224 });
    const strip = el('canvas', { width: 300, height: 120 });
    const train = el('button', { disabled: true }, `Train 1 epoch (${8000 / BATCH} steps)`);
    const load = el('button', { disabled: true }, 'Load pretrained weights');
    const random = el('button', {}, 'Random z');
    const encodeBtn = el('button', {}, 'Encode a test digit');
    const sliders = Array.from({ length: LATENT }, () => el('input', { type: 'range', min: String(-RANGE), max: String(RANGE), step: '0.05', value: '0' }));
    const labels = sliders.map((_, d) => el('span', {}, `z${d} = 0.00`));
    root.append(
      el(
        'p',
        {},
        `A variational autoencoder (Kingma & Welling) from @fovea/generative: fully connected encoder and decoder 784-400-${LATENT}-400-784 with a Bernoulli decoder, ` +
          `trained with Adam (lr ${LR}, batch ${BATCH}) on the 8,000 binarized training digits of the canonical split by minimising the negative ELBO (nats per image). ` +
          `The latent has only ${LATENT} dimensions, so each slider moves one coordinate of z and the decoder draws the digit it stands for; the strip shows test digits (top) and their reconstructions (bottom).`,
      ),
      el(
        'div',
        { className: 'row' },
        el('div', { className: 'card' }, 'decoded z', el('br'), decoded),
        el('div', { className: 'card' }, ...sliders.flatMap((s, d) => [el('label', {}, labels[d]!, el('br'), s)]), random, ' ', encodeBtn),
        el('div', { className: 'card' }, 'test digits / reconstructions', el('br'), strip),
      ),
      el('div', { className: 'row' }, el('div', { className: 'card' }, plot), el('div', {}, train, ' ', load, status)),
    );

    const digits = await loadDigits();
    const trainX = binarize(digits.train.images);
    const testX = binarize(digits.test.images);
    tf.dispose([digits.train.images, digits.val.images, digits.val.labels, digits.test.images]);
    // one test digit of each class for the reconstruction strip
    const testLabels = await digits.test.labels.data();
    const firstOf = Array.from({ length: STRIP }, (_, c) => testLabels.indexOf(c));
    const stripIdx = tf.tensor1d(firstOf, 'int32');
    const stripX = tf.gather(testX, stripIdx);
    stripIdx.dispose();
    tf.dispose([digits.train.labels, digits.test.labels]);

    const gen = new Generator(0);
    const vae = new VAE({ inputShape: [28, 28, 1], hidden: HIDDEN, latentDim: LATENT, generator: gen });
    let opt = new Adam(vae.parameters(), { lr: LR });
    const n = trainX.shape[0]!;
    const losses: number[] = [];
    let testNelbo = NaN;
    let testCount = 0;
    let spread: number[] = []; // variance of μ over test digits, per latent dim
    const batches = new BatchSampler(n, BATCH, gen);
    let encoded = 0; // next test digit "Encode a test digit" uses
    let stopped = false;
    let busy = false;
    let pretrained = false;

    const summary = (): string =>
      `step ${losses.length} (${(losses.length / (n / BATCH)).toFixed(2)} epochs${pretrained ? ' after the pretrained weights' : ''}): ` +
      `train −ELBO ${losses.length ? losses.at(-1)!.toFixed(1) : '–'} nats/image` +
      (Number.isFinite(testNelbo) ? `, test −ELBO ${testNelbo.toFixed(1)} nats/image on ${testCount} digits` : '');
    const showStatus = (extra = ''): void => {
      status.textContent = `${summary()}\nlatent use (variance of μ): ${spread.length ? spread.map((v, d) => `z${d} ${v.toFixed(2)}`).join(', ') : '–'}\nbackend ${ctx.backend.backend}${extra}`;
    };

    /** Decodes the sliders' z and draws it; slider events coalesce into one decode at a time. */
    let decoding = false;
    let dirty = false;
    const zNow = (): number[] => sliders.map((s) => Number(s.value));
    const decodeNow = async (): Promise<number> => {
      const z = zNow();
      z.forEach((v, d) => (labels[d]!.textContent = `z${d} = ${v.toFixed(2)}${spread.length ? `  (var μ ${spread[d]!.toFixed(2)})` : ''}`));
      const img = tf.tidy(() => vae.mean(vae.decode(tf.tensor2d([z], [1, LATENT])))); // [1, 28, 28, 1] pixel probabilities
      const px = await img.data();
      img.dispose();
      drawImage(decoded, px, 28, 28, 1, 8);
      let ink = 0;
      for (let i = 0; i < px.length; i++) ink += px[i]!;
      return ink / px.length; // mean pixel probability
    };
    const requestDecode = async (): Promise<void> => {
      dirty = true;
      if (decoding) return;
      decoding = true;
      try {
        while (dirty && !stopped) {
          dirty = false;
          await decodeNow();
        }
      } finally {
        decoding = false;
      }
    };
    sliders.forEach((s) => (s.oninput = () => void requestDecode()));
    const setSliders = (z: ArrayLike<number>): void => sliders.forEach((s, d) => (s.value = String(Math.max(-RANGE, Math.min(RANGE, z[d]!)))));

    /** The reconstruction strip, the test negative ELBO on the first `count` test digits and the latent spread. */
    const evaluate = async (count: number): Promise<void> => {
      vae.eval();
      const recon = tf.tidy(() => tf.concat([stripX, vae.reconstruct(stripX)], 0)); // [2·STRIP, 28, 28, 1]
      drawGrid(strip, await recon.data(), 2 * STRIP, 28, 28, { cols: STRIP, scale: 2 });
      recon.dispose();
      const stats = tf.tidy(() => {
        const x = tf.slice(testX, 0, count);
        const nelbo = tf.mean(vae.negativeElbo(x)); // one draw of z per digit
        const { mu } = vae.encode(x);
        return tf.concat([tf.reshape(nelbo, [1]), tf.moments(mu, 0).variance]);
      });
      const v = Array.from(await stats.data());
      stats.dispose();
      testNelbo = v[0]!;
      testCount = count;
      spread = v.slice(1);
      vae.train();
    };

    const step = async (): Promise<number> => {
      const idx = batches.next();
      const x = tf.gather(trainX, idx);
      const loss = opt.minimize(() => vae.loss(x).loss as tf.Scalar, true)!;
      const v = (await loss.data())[0]!;
      tf.dispose([idx, x, loss]);
      return v;
    };
    let hasWeights = false;
    const setBusy = (b: boolean): void => {
      busy = b;
      train.disabled = b || stopped;
      load.disabled = b || stopped || !hasWeights;
    };
    const trainFor = async (steps: number): Promise<void> => {
      setBusy(true);
      try {
        vae.train();
        for (let i = 0; i < steps && !stopped; i++) {
          losses.push(await step());
          if (i % 10 === 9 || i === steps - 1) {
            plotLine(plot, [{ ys: losses, color: '#3b6fd8', label: 'train −ELBO' }], `negative ELBO (nats/image) after ${losses.length} steps`);
            showStatus(`\ntraining: ${i + 1}/${steps}`);
            await requestDecode();
            await nextFrame();
          }
        }
        if (!stopped) {
          await evaluate(steps < 50 ? 250 : 1000); // a quick demo checks 250 test digits, a real round all 1,000
          showStatus();
          await requestDecode();
        }
      } finally {
        setBusy(false);
      }
    };

    random.onclick = async () => {
      if (stopped) return;
      const z = randn([LATENT], { generator: gen });
      setSliders(await z.data());
      z.dispose();
      await requestDecode();
    };
    encodeBtn.onclick = async () => {
      if (stopped) return;
      const i = encoded++ % testX.shape[0]!;
      const mu = tf.tidy(() => vae.encode(tf.slice(testX, i, 1)).mu);
      setSliders(await mu.data());
      mu.dispose();
      await requestDecode();
    };
    train.onclick = () => void trainFor(n / BATCH);

    /**
     * Loads the weights scripts/train-weights.ts wrote to public/weights/vae.safetensors, when they are there
     * (and restarts Adam): the page starts from them, and the button goes back to them after live training.
     */
    const loadPretrained = async (): Promise<string | null> => {
      const bytes = await fetchWeights('vae.safetensors');
      if (!bytes) return null;
      const { tensors, metadata } = decodeSafetensors(bytes, { source: 'weights/vae.safetensors' });
      try {
        vae.loadStateDict(tensors);
      } finally {
        tf.dispose(Object.values(tensors));
      }
      opt.dispose();
      opt = new Adam(vae.parameters(), { lr: LR });
      pretrained = true;
      losses.length = 0;
      return metadata.trained ?? 'trained offline';
    };
    load.onclick = async () => {
      setBusy(true);
      try {
        const what = await loadPretrained();
        await evaluate(1000);
        showStatus(what ? `\nreloaded the pretrained weights (${what})` : '\nthe pretrained weights could not be fetched');
        await requestDecode();
      } finally {
        setBusy(false);
      }
    };

    const loaded = await loadPretrained();
    hasWeights = loaded !== null;
    await evaluate(hasWeights ? 1000 : 250);
    showStatus(
      `\nready: ${n} binarized training digits, ${vae.numParameters().toLocaleString('en')} parameters; ` +
        (loaded ? `started from the pretrained weights (${loaded})` : 'untrained (no pretrained weights in public/weights/)'),
    );
    await requestDecode();
    setBusy(false);

    const handle: PageHandle = {
      demo: async (steps) => {
        await trainFor(steps);
        if (stopped) return 'stopped: the page was left';
        // move the sliders as a user would: each dimension to +2 in turn from the origin, then a fixed point
        setBusy(true); // dispose waits for the decodes
        try {
          const sweep: string[] = [];
          for (let d = 0; d < LATENT && !stopped; d++) {
            setSliders(Array.from({ length: LATENT }, (_, k) => (k === d ? 2 : 0)));
            sweep.push(`z${d}=2 ink ${(await decodeNow()).toFixed(3)}`);
            await nextFrame();
          }
          if (stopped) return 'stopped: the page was left';
          setSliders([1.5, -1, 0.5, -0.5]);
          const ink = await decodeNow();
          return `${summary()}; decoded ${sweep.join(', ')}; z=[1.5,-1,0.5,-0.5] ink ${ink.toFixed(3)} (${ctx.backend.backend})`;
        } finally {
          setBusy(false);
        }
      },
      dispose: () => {
        stopped = true;
        train.disabled = load.disabled = true;
        releaseWhenIdle(() => busy || decoding, () => {
          vae.dispose();
          opt.dispose();
          tf.dispose([trainX, testX, stripX]);
        });
      },
    };
    return handle;
  },
};
