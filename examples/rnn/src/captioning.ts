/**
 * Image captioning on synthetic shapes scenes (@fovea/detection's generator):
 * two coloured shapes on a sky/ground background, captioned from the scene's
 * contents — "a red circle left of a blue square", "a green triangle above
 * a yellow circle". A small CNN encoder (with x/y coordinate channels) and an
 * LSTM decoder (@fovea/rnn's CaptionDecoder) are trained end to end twice:
 * without attention (a flattened image embedding initialises the LSTM) and
 * with attention over the 8×8 feature map. Reports exact-match and token accuracy
 * of greedy captions on held-out scenes and writes out/captioning-samples.png
 * and out/captioning-attention.png.
 *
 * run: pnpm --filter @fovea/example-rnn captioning   (after pnpm build)
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, Module, ReLU, Sequential, conv2dWeightLayout, crossEntropy, kaimingUniform, linearWeightLayout, manualSeed } from '@fovea/core';
import { shapesScenes, type ShapesScene } from '@fovea/detection';
import { AvgPool2d, Conv2d, Linear, MaxPool2d } from '@fovea/layers';
import { Adam, ProgressBar } from '@fovea/optim';
import { CaptionDecoder } from '@fovea/rnn';
import { idsTensor, secs, shuffled, start } from './common.js';
import { blit, canvas, fillRect, heat, savePng, text } from './plot.js';

const COLORS = ['red', 'green', 'blue', 'yellow'];
const WORDS = ['<pad>', '<bos>', '<eos>', 'a', ...COLORS, 'circle', 'square', 'triangle', 'left', 'of', 'above'];
const BOS = 1, EOS = 2;
const L = 9; // longest caption (8 words) + <eos>
const SIZE = 64;

/** "a red circle left of a blue square": the left object first when the centres differ more in x, else the upper one first. */
function caption(s: ShapesScene): string[] {
  let [p, q] = s.objects as [ShapesScene['objects'][0], ShapesScene['objects'][0]];
  const dx = q.center[0] - p.center[0], dy = q.center[1] - p.center[1];
  const horizontal = Math.abs(dx) >= Math.abs(dy);
  if ((horizontal && dx < 0) || (!horizontal && dy < 0)) [p, q] = [q, p];
  return ['a', p.color, p.className, ...(horizontal ? ['left', 'of'] : ['above']), 'a', q.color, q.className];
}

const encode = (words: string[]): number[] => [...words.map((w) => WORDS.indexOf(w)), EOS, ...Array(L - words.length - 1).fill(0)];

function decode(ids: number[]): string[] {
  const out: string[] = [];
  for (const i of ids) {
    if (i === EOS) break;
    out.push(WORDS[i] ?? '?');
  }
  return out;
}

/** The CNN: RGB + x/y coordinates, halved to 32×32, then three conv–ReLU stages (two with 2×2 max pooling): → 8×8×32 (NHWC). */
class Encoder extends Module<[tf.Tensor], tf.Tensor> {
  readonly body: Sequential;
  constructor(g: Generator) {
    super();
    const stage = (cin: number, cout: number, pool: boolean) => {
      const conv = new Conv2d(cin, cout, 3, { padding: 1, generator: g });
      kaimingUniform(conv.weight, { nonlinearity: 'relu', layout: conv2dWeightLayout, generator: g }); // He init: keeps the signal's scale through the ReLUs
      return [conv, new ReLU(), ...(pool ? [new MaxPool2d(2)] : [])];
    };
    this.body = this.registerModule('body', new Sequential(new AvgPool2d(2), ...stage(5, 16, true), ...stage(16, 32, true), ...stage(32, 32, false)));
  }
  forward(images: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [B, H, W] = images.shape as [number, number, number, number];
      const xs = tf.tile(tf.reshape(tf.linspace(-1, 1, W), [1, 1, W, 1]), [B, H, 1, 1]);
      const ys = tf.tile(tf.reshape(tf.linspace(-1, 1, H), [1, H, 1, 1]), [B, 1, W, 1]);
      return this.body.forward(tf.concat([tf.sub(images, 0.5), xs, ys], 3)); // [B, 8, 8, 32]
    });
  }
}

/**
 * Encoder + decoder. With attention the decoder sees the 8×8×32 map; without,
 * the map is flattened into one 128-d image embedding (Show and Tell's
 * "fc" feature) given to the decoder as a 1×1 map — mean-pooling the map
 * instead would wash out objects that cover a few of its 64 cells.
 */
class Captioner extends Module<[tf.Tensor, tf.Tensor], tf.Tensor> {
  readonly encoder: Encoder;
  readonly embedding: Linear | null;
  readonly decoder: CaptionDecoder;
  constructor(attention: boolean, g: Generator) {
    super();
    this.encoder = this.registerModule('encoder', new Encoder(g));
    this.embedding = this.registerModule('embedding', attention ? null : new Linear(8 * 8 * 32, 128, { generator: g }));
    if (this.embedding) kaimingUniform(this.embedding.weight, { nonlinearity: 'relu', layout: linearWeightLayout, generator: g });
    this.decoder = this.registerModule('decoder', new CaptionDecoder({ featureDim: attention ? 32 : 128, vocabSize: WORDS.length, embeddingDim: 32, hiddenSize: 128, attention, attentionDim: 64, generator: g }));
  }
  /** `[B, 64, 64, 3]` → the decoder's feature map: `[B, 8, 8, 32]` (attention) or `[B, 1, 1, 128]`. */
  features(images: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const map = this.encoder.forward(images);
      if (!this.embedding) return map;
      const B = map.shape[0]!;
      return tf.reshape(tf.relu(this.embedding.forward(tf.reshape(map, [B, -1]))), [B, 1, 1, 128]);
    });
  }
  forward(images: tf.Tensor, tokensIn: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.decoder.forward(this.features(images), tokensIn).tokens); // [B, L, V]
  }
}

function images(scenes: ShapesScene[]): tf.Tensor4D {
  const data = new Float32Array(scenes.length * SIZE * SIZE * 3);
  scenes.forEach((s, i) => data.set(s.image, i * SIZE * SIZE * 3));
  return tf.tensor4d(data, [scenes.length, SIZE, SIZE, 3]);
}

interface Eval { exact: number; tokenAcc: number; preds: string[][]; attention: number[][][] | null }

async function evaluate(m: Captioner, scenes: ShapesScene[], refs: number[][]): Promise<Eval> {
  m.eval();
  let exact = 0, right = 0, total = 0;
  const preds: string[][] = [];
  let attention: number[][][] | null = null;
  for (let i = 0; i < scenes.length; i += 100) {
    const x = images(scenes.slice(i, i + 100));
    const feats = m.features(x);
    const out = m.decoder.greedy(feats, { bos: BOS, maxLength: L });
    const ids = (await out.tokens.array()) as number[][];
    if (i === 0 && out.attention) attention = (await out.attention.array()) as number[][][];
    tf.dispose([x, feats, out.tokens, ...(out.attention ? [out.attention] : [])]);
    ids.forEach((row, j) => {
      const ref = refs[i + j]!;
      const n = ref.indexOf(EOS) + 1; // reference tokens incl. <eos>
      let ok = true;
      for (let k = 0; k < n; k++) {
        total++;
        if (row[k] === ref[k]) right++;
        else ok = false;
      }
      if (ok) exact++;
      preds.push(decode(row));
    });
  }
  m.train();
  return { exact: exact / scenes.length, tokenAcc: right / total, preds, attention };
}

async function trainModel(attention: boolean, train: ShapesScene[], trainRefs: number[][], test: ShapesScene[], testRefs: number[][], epochs: number): Promise<{ model: Captioner; result: Eval }> {
  const label = attention ? 'with attention' : 'without attention';
  console.log(`\n— LSTM decoder ${label} —`);
  const g = new Generator(attention ? 11 : 12);
  const model = new Captioner(attention, g);
  const lr = Number(process.env.LR ?? 3e-3);
  const opt = new Adam(model.trainableParameters(), { lr });
  const B = 32, batches = Math.floor(train.length / B);
  const bar = new ProgressBar(undefined, epochs);
  const t0 = Date.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = shuffled(train.length, g);
    bar.startEpoch(epoch, batches);
    const te = Date.now();
    let sum = 0;
    for (let b = 0; b < batches; b++) {
      const idx = order.slice(b * B, (b + 1) * B);
      const x = images(idx.map((i) => train[i]!));
      const refs = idx.map((i) => trainRefs[i]!);
      const tin = idsTensor(refs.map((r) => [BOS, ...r.slice(0, -1)]));
      const tout = idsTensor(refs.map((r) => r.map((id) => (id === 0 ? -100 : id)))); // padding after <eos> → ignoreIndex
      const cost = opt.minimize(() => tf.tidy(() => {
        const logits = model.forward(x, tin);
        return crossEntropy(tf.reshape(logits, [-1, WORDS.length]), tf.reshape(tout, [-1]), { ignoreIndex: -100 }) as tf.Scalar;
      }), true)!;
      sum += (await cost.data())[0]!;
      tf.dispose([cost, x, tin, tout]);
      bar.update(b + 1, { loss: sum / (b + 1) });
    }
    const quick = await evaluate(model, test.slice(0, 100), testRefs.slice(0, 100));
    bar.endEpoch({ epoch, loss: sum / batches, lr, timeMs: Date.now() - te, val_exact: quick.exact, val_token_acc: quick.tokenAcc });
  }
  const result = await evaluate(model, test, testRefs);
  console.log(`${label}: held-out exact match ${(100 * result.exact).toFixed(1)}%, token accuracy ${(100 * result.tokenAcc).toFixed(1)}%  [trained ${secs(t0)} s]`);
  opt.dispose();
  return { model, result };
}

async function drawSamples(test: ShapesScene[], refs: string[][], plain: Eval, att: Eval): Promise<void> {
  const n = 8, scale = 2, w = SIZE * scale, cellW = 420, cellH = w + 50;
  const c = canvas(cellW * 2, cellH * (n / 2));
  for (let i = 0; i < n; i++) {
    const x = (i % 2) * cellW + 8, y = Math.floor(i / 2) * cellH + 8;
    blit(c, test[i]!.image, SIZE, SIZE, x, y, scale);
    const lines: [string, string, readonly number[]][] = [
      ['TRUE', refs[i]!.join(' '), [0, 0, 0]],
      ['PLAIN', plain.preds[i]!.join(' '), plain.preds[i]!.join(' ') === refs[i]!.join(' ') ? [0, 110, 0] : [190, 0, 0]],
      ['ATTN', att.preds[i]!.join(' '), att.preds[i]!.join(' ') === refs[i]!.join(' ') ? [0, 110, 0] : [190, 0, 0]],
    ];
    lines.forEach(([k, s, col], r) => {
      text(c, k, x, y + w + 4 + r * 13, [90, 90, 90], 2);
      text(c, s, x + 48, y + w + 4 + r * 13, col, 2);
    });
  }
  await savePng('out/captioning-samples.png', c);
}

async function drawAttention(scene: ShapesScene, pred: string[], att: number[][]): Promise<void> {
  const cell = 16, map = 8 * cell, gap = 10;
  const words = [...pred, '<eos>'].slice(0, L);
  const c = canvas(gap + (map + gap) * (words.length + 1), map + 40);
  blit(c, scene.image, SIZE, SIZE, gap, gap, 2);
  words.forEach((wd, t) => {
    const ox = gap + (map + gap) * (t + 1);
    const row = att[t]!;
    const max = Math.max(...row);
    for (let j = 0; j < 64; j++) fillRect(c, ox + (j % 8) * cell, gap + Math.floor(j / 8) * cell, cell, cell, heat(row[j]! / max));
    text(c, wd.replace(/[<>]/g, ''), ox, map + gap + 6, [0, 0, 0], 2);
  });
  await savePng('out/captioning-attention.png', c);
}

async function main(): Promise<void> {
  await start('image captioning on synthetic shapes scenes (CNN encoder + LSTM decoder)');
  manualSeed(0);
  const opts = { size: SIZE, minObjects: 2, maxObjects: 2, maxOverlap: 0, minSize: 16, maxSize: 28, colors: COLORS };
  const pick = (n: number, seed: number) => shapesScenes(Math.ceil(n * 1.2), { ...opts, generator: new Generator(seed) }).filter((s) => s.objects.length === 2).slice(0, n);
  const train = pick(Number(process.env.TRAIN ?? 3000), 100), test = pick(Number(process.env.TEST ?? 500), 200);
  const trainRefs = train.map((s) => encode(caption(s))), testRefs = test.map((s) => encode(caption(s)));
  console.log(`data: ${train.length} training and ${test.length} held-out scenes (${SIZE}×${SIZE}), e.g. "${caption(train[0]!).join(' ')}"`);
  const epochs = Number(process.env.EPOCHS ?? 10);
  const only = process.env.ONLY; // 'plain' or 'attention' to train one model (for experiments)
  const plain = await trainModel(false, train, trainRefs, test, testRefs, only === 'attention' ? 0 : epochs);
  const att = await trainModel(true, train, trainRefs, test, testRefs, only === 'plain' ? 0 : epochs);
  await drawSamples(test, test.map(caption), plain.result, att.result);
  await drawAttention(test[0]!, att.result.preds[0]!, att.result.attention![0]!);
  console.log('\nheld-out results:');
  console.log(`  without attention: exact match ${(100 * plain.result.exact).toFixed(1)}%, token accuracy ${(100 * plain.result.tokenAcc).toFixed(1)}%`);
  console.log(`  with attention:    exact match ${(100 * att.result.exact).toFixed(1)}%, token accuracy ${(100 * att.result.tokenAcc).toFixed(1)}%`);
  test.slice(0, 5).forEach((s, i) => console.log(`  "${caption(s).join(' ')}" → plain "${plain.result.preds[i]!.join(' ')}", attention "${att.result.preds[i]!.join(' ')}"`));
  console.log('wrote out/captioning-samples.png and out/captioning-attention.png');
  plain.model.dispose();
  att.model.dispose();
}

await main();
