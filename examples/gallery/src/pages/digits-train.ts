/** @fovea/layers + @fovea/optim: train a digits CNN live, with a loss plot. */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, Generator, loadDigits, type Sequential } from '@fovea/core';
import { Adam } from '@fovea/optim';
import { BatchSampler, accuracyOf, smallDigitsCnn } from '../models.js';
import type { GalleryPage, PageHandle } from '../types.js';
import { el, nextFrame, plotLine, releaseWhenIdle } from '../ui.js';

const BATCH = 64;

export const digitsTrainPage: GalleryPage = {
  id: 'digits-train',
  title: 'Train a digits CNN',
  pkg: '@fovea/layers, @fovea/optim',
  async mount(root, ctx) {
    const status = el('div', { className: 'status' }, 'loading the digits…');
    const plot = el('canvas', { width: 520, height: 240 });
    const train = el('button', { disabled: true }, 'Train 200 steps');
    root.append(
      el('p', {}, 'A small CNN (conv 16 → conv 32 → dense 64 → 10) trained with Adam on the 8,000 training digits of the canonical split, batch 64. Test accuracy is on the 1,000 test digits.'),
      el('div', { className: 'row' }, el('div', { className: 'card' }, plot), el('div', {}, train, status)),
    );
    const digits = await loadDigits();
    const gen = new Generator(0);
    const model = smallDigitsCnn(gen);
    const opt = new Adam(model.parameters(), { lr: 2e-3 });
    const losses: number[] = [];
    const accs: number[] = [];
    const batches = new BatchSampler(digits.train.images.shape[0]!, BATCH, gen);
    let stopped = false;
    let busy = false;

    const step = async (): Promise<number> => {
      const idx = batches.next();
      const x = tf.gather(digits.train.images, idx);
      const y = tf.gather(digits.train.labels, idx);
      model.train();
      opt.zeroGrad();
      const loss = opt.backward(() => crossEntropy(model.forward(x), y) as tf.Scalar);
      opt.step();
      const v = (await loss.data())[0]!;
      tf.dispose([idx, x, y, loss]);
      return v;
    };
    /** Accuracy on the first `n` test digits (all 1,000 unless a quick demo asks for fewer). */
    const evaluate = async (n = 1000): Promise<number> => {
      model.eval();
      const logits = tf.tidy(() => model.forward(tf.slice(digits.test.images, 0, n)));
      const labels = tf.slice(digits.test.labels, 0, n);
      const acc = await accuracyOf(logits, labels);
      labels.dispose();
      logits.dispose();
      return acc;
    };
    const run = async (steps: number): Promise<string> => {
      busy = true;
      train.disabled = true;
      for (let i = 0; i < steps && !stopped; i++) {
        losses.push(await step());
        if (i % 10 === 9 || i === steps - 1) {
          plotLine(plot, [{ ys: losses, color: '#3b6fd8', label: 'train loss' }], `loss after ${losses.length} steps`);
          status.textContent = `step ${losses.length}: loss ${losses.at(-1)!.toFixed(4)}${accs.length ? `\ntest accuracy ${(100 * accs.at(-1)!).toFixed(2)} %` : ''}`;
          await nextFrame();
        }
      }
      // a quick demo (a few steps, as the browser tests run) checks on 100 digits, a real run on all 1,000
      const n = steps < 50 ? 100 : 1000;
      const acc = await evaluate(n);
      accs.push(acc);
      status.textContent = `step ${losses.length}: loss ${losses.at(-1)!.toFixed(4)}\ntest accuracy ${(100 * acc).toFixed(2)} % on ${n} test digits (${ctx.backend.backend})`;
      ctx.shared.set('digits-cnn', model);
      busy = false;
      train.disabled = false;
      return `steps ${losses.length}, loss ${losses.at(-1)!.toFixed(4)}, test accuracy ${(100 * acc).toFixed(2)} % on ${n} digits`;
    };
    train.onclick = () => void run(200);
    train.disabled = false;
    status.textContent = `ready: ${digits.train.images.shape[0]} training digits on ${ctx.backend.backend}`;
    const handle: PageHandle = {
      demo: run,
      dispose: () => {
        stopped = true;
        releaseWhenIdle(() => busy, () => {
          if (ctx.shared.get('digits-cnn') !== model) (model as Sequential).dispose();
          opt.dispose();
          tf.dispose([digits.train.images, digits.train.labels, digits.val.images, digits.val.labels, digits.test.images, digits.test.labels]);
        });
      },
    };
    return handle;
  },
};
