/**
 * @fovea/attention: a small Vision Transformer trained live on the digits,
 * with the class token's attention over the 7×7 patches drawn as heat maps
 * over six test digits. The recipe is examples/attention/src/vit.ts's
 * (patch 7, width 64, 4 heads, MLP 128, AdamW 2e-3 with weight decay 0.05 on
 * the weight matrices, linear warm-up, label smoothing 0.1, gradient clipping
 * at norm 1, random rotations/shifts/scalings, batch 64) with 2 encoder
 * blocks instead of 6, so that it trains in a browser. The maps are
 * `attentionRollout` (Abnar & Zuidema: heads averaged, residual mixed in,
 * blocks multiplied) or the last block's attention averaged over heads.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, crossEntropy, loadDigits, randomAffine } from '@fovea/core';
import { VisionTransformer, attentionRollout } from '@fovea/attention';
import { AdamW, LinearLR } from '@fovea/optim';
import { BatchSampler, accuracyOf } from '../models.js';
import type { GalleryPage, PageHandle } from '../types.js';
import { el, nextFrame, plotLine, releaseWhenIdle } from '../ui.js';

const PATCH = 7; // 7×7 patches → a 4×4 grid, 16 tokens + the class token
const GRID = 28 / PATCH;
const DIM = 64; // token width E
const DEPTH = 2; // encoder blocks (the example has 6)
const HEADS = 4; // head size 16
const MLP = 128; // 2·E
const BATCH = 64;
const LR = 2e-3; // AdamW peak
const WD = 0.05; // decoupled weight decay on the weight matrices
const WARMUP = 50; // steps of linear warm-up, then constant
const SMOOTH = 0.1; // label smoothing
const CLIP = 1; // gradient norm clipping
const SHOWN = 6; // test digits with maps
const SCALE = 6;

/** A black → red → yellow → white ramp for `t` in [0, 1]. */
function heat(t: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, t));
  return [255 * Math.min(1, 3 * v), 255 * Math.min(1, Math.max(0, 3 * v - 1)), 255 * Math.max(0, 3 * v - 2)];
}

/** Draws a 28×28 digit blended with a `GRID × GRID` map (normalised to its own min–max), nearest-neighbour upsampled. */
function drawAttention(canvas: HTMLCanvasElement, digit: ArrayLike<number>, map: ArrayLike<number>): void {
  canvas.width = 28 * SCALE;
  canvas.height = 28 * SCALE;
  const g = canvas.getContext('2d')!;
  const img = g.createImageData(28, 28);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < GRID * GRID; i++) [lo, hi] = [Math.min(lo, map[i]!), Math.max(hi, map[i]!)];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const m = map[Math.floor(y / PATCH) * GRID + Math.floor(x / PATCH)]!;
      const rgb = heat(hi > lo ? (m - lo) / (hi - lo) : 0);
      const ink = Math.min(1, Math.max(0, digit[y * 28 + x]!));
      const p = 4 * (y * 28 + x);
      for (let c = 0; c < 3; c++) img.data[p + c] = Math.round(0.6 * rgb[c]! + 0.4 * 255 * ink);
      img.data[p + 3] = 255;
    }
  }
  const tmp = document.createElement('canvas');
  tmp.width = 28;
  tmp.height = 28;
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  g.imageSmoothingEnabled = false;
  g.drawImage(tmp, 0, 0, canvas.width, canvas.height);
  g.strokeStyle = 'rgba(255,255,255,0.35)'; // the patch grid
  for (let k = 1; k < GRID; k++) {
    const v = k * PATCH * SCALE;
    g.beginPath();
    g.moveTo(v, 0);
    g.lineTo(v, canvas.height);
    g.moveTo(0, v);
    g.lineTo(canvas.width, v);
    g.stroke();
  }
}

export const attentionMapsPage: GalleryPage = {
  id: 'attention-maps',
  title: 'Attention maps',
  pkg: '@fovea/attention, @fovea/optim',
  async mount(root, ctx) {
    const status = el('div', { className: 'status' }, 'loading the digits…');
    const plot = el('canvas', { width: 520, height: 220 });
    const train = el('button', { disabled: true }, 'Train 100 steps');
    const mode = el('select', {}, el('option', { value: 'rollout' }, 'attention rollout (all blocks)'), el('option', { value: 'last' }, 'last block, mean over heads'));
    const maps = Array.from({ length: SHOWN }, () => el('canvas'));
    const captions = maps.map(() => el('div', { className: 'status' }));
    root.append(
      el(
        'p',
        {},
        `A Vision Transformer (@fovea/attention's VisionTransformer) on the 8,000 training digits: 28×28 images cut into ${PATCH}×${PATCH} patches ` +
          `(16 tokens and a class token), width ${DIM}, ${DEPTH} pre-norm encoder blocks of ${HEADS} heads, MLP ${MLP} — the recipe of ` +
          'examples/attention (AdamW 2e-3, weight decay 0.05, warm-up, label smoothing 0.1, clipping at norm 1, random rotations, shifts and ' +
          `scalings, batch ${BATCH}) with fewer blocks so that it trains in the browser. The maps show where the class token looks: the attention ` +
          'rollout through both blocks, or the last block’s attention averaged over heads, over six test digits, each map scaled to its own min–max (white lines: the patch grid; before training the attention is nearly uniform, so the contrast is noise).',
      ),
      el('div', { className: 'row' }, el('div', { className: 'card' }, plot), el('div', {}, train, el('label', {}, 'map ', mode), status)),
      el('div', { className: 'row' }, ...maps.map((m, i) => el('div', { className: 'card' }, m, captions[i]!))),
    );
    const digits = await loadDigits();
    const gen = new Generator(0);
    const vit = new VisionTransformer({
      imageSize: 28, patchSize: PATCH, inChannels: 1, numClasses: 10, numLayers: DEPTH, numHeads: HEADS, hiddenDim: DIM, mlpDim: MLP, generator: gen,
    });
    // weight decay on the weight matrices only (not biases, norms, class token or position embedding), as the example
    const named = vit.namedParameters();
    const decay = named.filter(([n, p]) => p.rank >= 2 && !n.includes('pos_embedding') && n !== 'class_token').map(([, p]) => p);
    const noDecay = named.filter(([, p]) => !decay.includes(p)).map(([, p]) => p);
    const optimizer = new AdamW([{ params: decay, weightDecay: WD }, { params: noDecay, weightDecay: 0 }], { lr: LR });
    const scheduler = new LinearLR(optimizer, { startFactor: 0.01, endFactor: 1, totalIters: WARMUP });
    const shownImages = tf.slice(digits.test.images, [0, 0, 0, 0], [SHOWN, 28, 28, 1]);
    const shownPixels = await shownImages.data();
    const shownLabelsT = tf.slice(digits.test.labels, [0], [SHOWN]);
    const shownLabels = await shownLabelsT.data();
    shownLabelsT.dispose();
    const losses: number[] = [];
    let acc = NaN;
    let accN = 0;
    let cached: { rollout: Float32Array; last: Float32Array; pred: Int32Array; prob: Float32Array } | null = null;
    const batches = new BatchSampler(digits.train.images.shape[0]!, BATCH, gen);
    let stopped = false;
    let busy = false;

    const step = async (): Promise<number> => {
      const idx = batches.next();
      const x = tf.tidy(() => randomAffine(tf.gather(digits.train.images, idx), { degrees: 12, translate: [0.1, 0.1], scale: [0.9, 1.1], generator: gen }));
      const y = tf.gather(digits.train.labels, idx);
      vit.train();
      optimizer.zeroGrad();
      const loss = optimizer.backward(() => crossEntropy(vit.forward(x), y, { labelSmoothing: SMOOTH }) as tf.Scalar);
      optimizer.clipGradNorm(CLIP).dispose();
      optimizer.step();
      optimizer.zeroGrad();
      scheduler.step();
      const v = (await loss.data())[0]!;
      tf.dispose([idx, x, y, loss]);
      return v;
    };
    /** Accuracy on the first `n` test digits and the maps of the shown ones. */
    const evaluate = async (n: number): Promise<void> => {
      vit.eval();
      const logits = tf.tidy(() => vit.forward(tf.slice(digits.test.images, 0, n)));
      const labels = tf.slice(digits.test.labels, 0, n);
      acc = await accuracyOf(logits, labels);
      accN = n;
      tf.dispose([logits, labels]);
      const out = vit.forwardWithAttention(shownImages);
      const [rollout, last, pred, prob] = tf.tidy(() => {
        const cls = (m: tf.Tensor3D) => tf.reshape(tf.slice(m, [0, 0, 1], [SHOWN, 1, GRID * GRID]), [SHOWN, GRID * GRID]); // class token's row, patches only
        const p = tf.softmax(out.logits);
        return [cls(attentionRollout(out.attention)), cls(tf.mean(out.attention.at(-1)!, 1) as tf.Tensor3D), tf.cast(tf.argMax(p, -1), 'int32'), tf.max(p, -1)];
      });
      tf.dispose([out.logits, ...out.attention]);
      const [r, l, pr, pp] = await Promise.all([rollout.data(), last.data(), pred.data(), prob.data()]);
      tf.dispose([rollout, last, pred, prob]);
      cached = { rollout: r as Float32Array, last: l as Float32Array, pred: pr as Int32Array, prob: pp as Float32Array };
      draw();
    };
    const draw = () => {
      if (!cached) return;
      const m = mode.value === 'last' ? cached.last : cached.rollout;
      maps.forEach((c, i) => {
        drawAttention(c, shownPixels.subarray(i * 784, (i + 1) * 784), m.subarray(i * GRID * GRID, (i + 1) * GRID * GRID));
        captions[i]!.textContent = `label ${shownLabels[i]} → ${cached!.pred[i]} (p ${cached!.prob[i]!.toFixed(2)})`;
      });
    };
    const line = () =>
      `step ${losses.length}: loss ${losses.length ? losses.at(-1)!.toFixed(4) : '–'}, lr ${optimizer.paramGroups[0]!.lr.toExponential(1)}\n` +
      `test accuracy ${(100 * acc).toFixed(2)} % on ${accN} test digits (${ctx.backend.backend})`;
    const run = async (steps: number): Promise<string> => {
      if (busy) throw new Error('attention-maps: already running');
      busy = true;
      train.disabled = true;
      try {
        for (let i = 0; i < steps && !stopped; i++) {
          losses.push(await step());
          if (i % 10 === 9 || i === steps - 1) {
            plotLine(plot, [{ ys: losses, color: '#8a4fd8', label: 'train loss' }], `loss after ${losses.length} steps`);
            status.textContent = `step ${losses.length}: loss ${losses.at(-1)!.toFixed(4)}`;
            await nextFrame();
          }
        }
        if (stopped) return 'stopped';
        // a quick demo (a few steps, as the browser tests run) checks on 200 digits, a real run on all 1,000
        await evaluate(steps < 50 ? 200 : 1000);
        status.textContent = line();
        const shown = Array.from(cached!.pred).filter((p, i) => p === shownLabels[i]).length;
        return `steps ${losses.length}, loss ${losses.at(-1)!.toFixed(4)}, test accuracy ${(100 * acc).toFixed(2)} % on ${accN} digits, ${shown}/${SHOWN} shown digits right, maps drawn`;
      } finally {
        busy = false;
        train.disabled = false;
      }
    };
    train.onclick = () => void run(100).catch((e) => (status.textContent = String(e)));
    mode.onchange = () => draw();
    busy = true;
    await evaluate(200); // the untrained model's maps
    busy = false;
    train.disabled = false;
    status.textContent = `${vit.numParameters().toLocaleString('en')} parameters, untrained\n${line()}`;

    const handle: PageHandle = {
      demo: run,
      dispose: () => {
        stopped = true;
        releaseWhenIdle(() => busy, () => {
          optimizer.dispose();
          vit.dispose();
          tf.dispose([shownImages, digits.train.images, digits.train.labels, digits.val.images, digits.val.labels, digits.test.images, digits.test.labels]);
        });
      },
    };
    return handle;
  },
};
