/**
 * Seq2seq with attention on date-format translation: "tuesday, march 5, 1987",
 * "5 mar 1987", "05/03/1987", "5.3.87", … → "1987-03-05". A bidirectional GRU
 * encoder, a GRU decoder with Bahdanau attention (@fovea/rnn's Seq2Seq),
 * trained with teacher forcing; reports exact-match accuracy of greedy
 * decoding on held-out dates and writes the attention weights of a few test
 * inputs to out/seq2seq-attention.png.
 *
 * run: pnpm --filter @fovea/example-rnn seq2seq   (after pnpm build)
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, crossEntropy, manualSeed } from '@fovea/core';
import { Adam, ProgressBar } from '@fovea/optim';
import { Seq2Seq } from '@fovea/rnn';
import { idsTensor, secs, shuffled, start } from './common.js';
import { canvas, fillRect, heat, savePng, text } from './plot.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const SRC_CHARS = ' ,./0123456789abcdefghijklmnopqrstuvwxyz';
const TGT_CHARS = '-0123456789';
const S = 30; // source length (padded with id 0)
const PAD = 0, BOS = 1, EOS = 2; // target specials; target chars start at 3
const T = 11; // 10 characters + EOS

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** One random date in 1950–2049 written in one of seven formats, and its ISO form. */
function sample(g: Generator): { src: string; tgt: string } {
  const day0 = Date.UTC(1950, 0, 1), days = Math.floor(g.random() * 36524);
  const dt = new Date(day0 + days * 86400000);
  const y = dt.getUTCFullYear(), m = dt.getUTCMonth() + 1, d = dt.getUTCDate();
  const name = MONTHS[m - 1]!, short = name.slice(0, 3);
  const formats = [
    `${name} ${d}, ${y}`,
    `${d} ${name} ${y}`,
    `${short} ${d} ${y}`,
    `${pad2(d)}/${pad2(m)}/${y}`,
    `${DAYS[dt.getUTCDay()]}, ${name} ${d}, ${y}`,
    `${d}.${m}.${pad2(y % 100)}`,
    `${y}/${m}/${d}`,
  ];
  return { src: formats[Math.floor(g.random() * formats.length)]!, tgt: `${y}-${pad2(m)}-${pad2(d)}` };
}

const encodeSrc = (s: string): number[] => [...Array.from(s, (c) => SRC_CHARS.indexOf(c) + 1), ...Array(S - s.length).fill(PAD)];
const encodeTgt = (s: string): number[] => [...Array.from(s, (c) => TGT_CHARS.indexOf(c) + 3), EOS];
const decodeTgt = (ids: ArrayLike<number>): string => {
  let out = '';
  for (const i of Array.from(ids)) {
    if (i === EOS) break;
    out += i >= 3 ? TGT_CHARS[i - 3] : '?';
  }
  return out;
};

function dataset(n: number, g: Generator, exclude: Set<string>): { src: string; tgt: string }[] {
  const out: { src: string; tgt: string }[] = [];
  while (out.length < n) {
    const s = sample(g);
    if (exclude.has(s.src)) continue;
    exclude.add(s.src);
    out.push(s);
  }
  return out;
}

async function evaluate(model: Seq2Seq, data: { src: string; tgt: string }[]): Promise<{ exact: number; charAcc: number; preds: string[] }> {
  model.eval();
  let exact = 0, chars = 0;
  const preds: string[] = [];
  for (let i = 0; i < data.length; i += 250) {
    const part = data.slice(i, i + 250);
    const src = idsTensor(part.map((d) => encodeSrc(d.src)));
    const out = model.greedy(src, { bos: BOS, maxLength: T });
    const ids = (await out.tokens.array()) as number[][];
    tf.dispose([src, out.tokens, out.attention]);
    part.forEach((d, j) => {
      const p = decodeTgt(ids[j]!);
      preds.push(p);
      if (p === d.tgt) exact++;
      for (let k = 0; k < d.tgt.length; k++) if (p[k] === d.tgt[k]) chars++;
    });
  }
  model.train();
  return { exact: exact / data.length, charAcc: chars / (data.length * 10), preds };
}

async function plotAttention(model: Seq2Seq, examples: { src: string; tgt: string }[], path: string): Promise<void> {
  model.eval();
  const src = idsTensor(examples.map((d) => encodeSrc(d.src)));
  const out = model.greedy(src, { bos: BOS, maxLength: T });
  const [ids, att] = [(await out.tokens.array()) as number[][], (await out.attention.array()) as number[][][]];
  tf.dispose([src, out.tokens, out.attention]);
  const cell = 14, left = 24, top = 24, gap = 30;
  const panelW = left + S * cell, panelH = top + T * cell;
  const c = canvas(panelW * 2 + gap * 3, (panelH + gap) * Math.ceil(examples.length / 2) + gap);
  examples.forEach((d, e) => {
    const ox = gap + (e % 2) * (panelW + gap), oy = gap + Math.floor(e / 2) * (panelH + gap);
    const pred = decodeTgt(ids[e]!);
    text(c, `${d.src}  ->  ${pred}`, ox, oy - 18, pred === d.tgt ? [0, 100, 0] : [180, 0, 0]);
    Array.from(d.src).forEach((ch, j) => text(c, ch, ox + left + j * cell + 4, oy + 2, [60, 60, 60]));
    const outChars = `${pred}>`.slice(0, T);
    for (let t = 0; t < T; t++) {
      text(c, outChars[t] === '>' ? '.' : outChars[t] ?? ' ', ox + 6, oy + top + t * cell + 2, [60, 60, 60]);
      for (let j = 0; j < S; j++) fillRect(c, ox + left + j * cell, oy + top + t * cell, cell - 1, cell - 1, heat(att[e]![t]![j]!));
    }
  });
  await savePng(path, c);
  model.train();
}

async function main(): Promise<void> {
  await start('seq2seq with attention: date formats → ISO 8601');
  manualSeed(0);
  const g = new Generator(0);
  const seen = new Set<string>();
  const train = dataset(12000, g, seen);
  const test = dataset(1000, g, seen); // sources never seen in training
  console.log(`data: ${train.length} training and ${test.length} held-out pairs, e.g. "${train[0]!.src}" → "${train[0]!.tgt}"`);
  const model = new Seq2Seq({ srcVocab: SRC_CHARS.length + 1, tgtVocab: TGT_CHARS.length + 3, embeddingDim: 32, hiddenSize: 64, attentionDim: 64, generator: new Generator(1) });
  const opt = new Adam(model.trainableParameters(), { lr: 3e-3 });
  const B = 64, epochs = Number(process.env.EPOCHS ?? 2);
  const bar = new ProgressBar(undefined, epochs);
  const t0 = Date.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = shuffled(train.length, g);
    const batches = Math.floor(train.length / B);
    bar.startEpoch(epoch, batches);
    const te = Date.now();
    let sum = 0;
    for (let b = 0; b < batches; b++) {
      const rows = order.slice(b * B, (b + 1) * B).map((i) => train[i]!);
      const src = idsTensor(rows.map((r) => encodeSrc(r.src)));
      const tgt = rows.map((r) => encodeTgt(r.tgt));
      const tgtIn = idsTensor(tgt.map((t) => [BOS, ...t.slice(0, -1)]));
      const tgtOut = idsTensor(tgt);
      const cost = opt.minimize(() => tf.tidy(() => {
        const logits = model.forward(src, tgtIn).tokens; // [B, T, V]
        return crossEntropy(tf.reshape(logits, [-1, logits.shape[2]!]), tf.reshape(tgtOut, [-1])) as tf.Scalar;
      }), true)!;
      sum += (await cost.data())[0]!;
      tf.dispose([cost, src, tgtIn, tgtOut]);
      bar.update(b + 1, { loss: sum / (b + 1) });
    }
    const { exact } = await evaluate(model, test.slice(0, 200));
    bar.endEpoch({ epoch, loss: sum / batches, lr: 3e-3, timeMs: Date.now() - te, val_exact: exact });
  }
  const { exact, charAcc, preds } = await evaluate(model, test);
  console.log(`held-out exact match: ${(100 * exact).toFixed(1)}% (${Math.round(exact * test.length)}/${test.length}), character accuracy ${(100 * charAcc).toFixed(1)}%  [trained ${secs(t0)} s]`);
  test.slice(0, 8).forEach((d, i) => console.log(`  ${d.src.padEnd(30)} → ${preds[i]}  ${preds[i] === d.tgt ? 'ok' : `(want ${d.tgt})`}`));
  const varied = test.filter((d, i, a) => a.findIndex((e) => e.src.length === d.src.length) === i).slice(0, 6); // six different lengths
  await plotAttention(model, varied, 'out/seq2seq-attention.png');
  console.log('wrote out/seq2seq-attention.png (rows: output characters, columns: input characters)');
  opt.dispose();
  model.dispose();
}

await main();
