/** @fovea/core + @fovea/layers: draw a digit and classify it with the CNN trained on the training page. */
import * as tf from '@tensorflow/tfjs-core';
import { softmax, type Sequential } from '@fovea/core';
import { digitsTrainPage } from './digits-train.js';
import type { GalleryPage, PageHandle } from '../types.js';
import { el } from '../ui.js';

const SIZE = 224; // the drawing canvas; downsampled to 28×28 like the digits (centred by mass)

/** Converts the drawing to a `[1, 28, 28, 1]` image the way MNIST digits are framed: 20×20 box, centred by centre of mass. */
function toDigit(canvas: HTMLCanvasElement): tf.Tensor4D | null {
  const g = canvas.getContext('2d')!;
  const { data } = g.getImageData(0, 0, SIZE, SIZE);
  let minX = SIZE, minY = SIZE, maxX = -1, maxY = -1;
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) if (data[4 * (y * SIZE + x)]! > 32) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  if (maxX < 0) return null;
  const side = Math.max(maxX - minX, maxY - minY) + 1;
  const box = document.createElement('canvas');
  box.width = box.height = 20;
  const bg = box.getContext('2d')!;
  bg.drawImage(canvas, minX - (side - (maxX - minX + 1)) / 2, minY - (side - (maxY - minY + 1)) / 2, side, side, 0, 0, 20, 20);
  const px = bg.getImageData(0, 0, 20, 20).data;
  let mx = 0, my = 0, m = 0;
  for (let i = 0; i < 400; i++) { const v = px[4 * i]! / 255; mx += v * (i % 20); my += v * Math.floor(i / 20); m += v; }
  const ox = Math.round(14 - mx / m), oy = Math.round(14 - my / m);
  const out = new Float32Array(28 * 28);
  for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) {
    const X = x + ox, Y = y + oy;
    if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = px[4 * (y * 20 + x)]! / 255;
  }
  return tf.tensor4d(out, [1, 28, 28, 1]);
}

export const drawDigitPage: GalleryPage = {
  id: 'draw',
  title: 'Draw a digit',
  pkg: '@fovea/core, @fovea/layers',
  async mount(root, ctx) {
    const canvas = el('canvas', { width: SIZE, height: SIZE });
    canvas.style.background = '#000';
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#000';
    g.fillRect(0, 0, SIZE, SIZE);
    const bars = el('div', { className: 'status' });
    const clear = el('button', {}, 'Clear');
    const status = el('div', { className: 'status' });
    root.append(
      el('p', {}, 'Draw a digit (white on black). The CNN of the training page classifies it as you draw; if you have not trained one yet, this page trains it for 300 steps first.'),
      el('div', { className: 'row' }, canvas, el('div', {}, clear, bars, status)),
    );
    let trainer: PageHandle | null = null;
    let model = ctx.shared.get('digits-cnn') as Sequential | undefined;
    const ensureModel = async (steps = 300): Promise<Sequential> => {
      if (model) return model;
      status.textContent = `training the digits CNN (${steps} steps)…`;
      const host = el('div');
      host.style.display = 'none';
      root.append(host);
      trainer = await digitsTrainPage.mount(host, ctx);
      status.textContent = await trainer.demo(steps);
      model = ctx.shared.get('digits-cnn') as Sequential;
      return model;
    };
    const classify = async (trainSteps?: number): Promise<string> => {
      const m = await ensureModel(trainSteps);
      const x = toDigit(canvas);
      if (!x) { bars.textContent = 'draw something'; return 'empty'; }
      m.eval();
      const p = tf.tidy(() => softmax(m.forward(x), -1));
      const probs = Array.from(await p.data());
      tf.dispose([x, p]);
      const best = probs.indexOf(Math.max(...probs));
      bars.textContent = probs.map((v, k) => `${k} ${'█'.repeat(Math.round(v * 30))} ${(100 * v).toFixed(1)} %`).join('\n');
      return `predicted ${best} (${(100 * probs[best]!).toFixed(1)} %)`;
    };
    let drawing = false;
    const at = (e: PointerEvent) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top] as const; };
    canvas.onpointerdown = (e) => { drawing = true; const [x, y] = at(e); g.beginPath(); g.moveTo(x, y); };
    canvas.onpointermove = (e) => {
      if (!drawing) return;
      const [x, y] = at(e);
      g.strokeStyle = '#fff'; g.lineWidth = 16; g.lineCap = 'round'; g.lineTo(x, y); g.stroke();
    };
    canvas.onpointerup = () => { drawing = false; void classify(); };
    clear.onclick = () => { g.fillStyle = '#000'; g.fillRect(0, 0, SIZE, SIZE); bars.textContent = ''; };
    return {
      /** Draws a "1" (a vertical stroke) and classifies it (training `steps` steps first if no CNN was trained yet). */
      demo: async (steps) => {
        g.fillStyle = '#000'; g.fillRect(0, 0, SIZE, SIZE);
        g.strokeStyle = '#fff'; g.lineWidth = 18; g.lineCap = 'round';
        g.beginPath(); g.moveTo(112, 40); g.lineTo(112, 184); g.stroke();
        return classify(steps);
      },
      dispose: () => { (trainer as PageHandle | null)?.dispose(); },
    };
  },
};
