/**
 * The linear softmax classifier part of the digits demo: a small grid over the
 * learning rate and the L2 strength, each trained by minibatch SGD with
 * @fovea/core's LinearClassifier and scored on the validation digits; the
 * best is scored once on the test digits, and its weights are drawn as one
 * 28×28 template per class.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, LinearClassifier, isFoveaError } from '@fovea/core';
import { accuracy, confusionMatrix } from '@fovea/metrics';
import { StepProgress } from '@fovea/optim';
import { canvas, drawText, paste, savePng, templateImage } from './png.js';

const EPOCHS = 15; // SGD passes; validation accuracy has flattened by then
const BATCH = 200; // CS231n's minibatch size
const LRS = [0.3, 1, 3]; // step sizes to try (pixels are mean-centred values in [-1, 1])
const REGS = [1e-5, 1e-3]; // L2 strengths λ to try (loss + λ·ΣW²)
const SCALE = 8; // template pixels are drawn 8×8

export interface LinearInputs {
  xTrain: tf.Tensor2D;
  yTrain: tf.Tensor1D;
  xVal: tf.Tensor2D;
  yVal: tf.Tensor1D;
  xTest: tf.Tensor2D;
  yTest: tf.Tensor1D;
  seed: number;
  out: string;
}

/** Writes the class templates (columns of W `[784, 10]`) as one PNG per class and a labelled strip. */
async function saveTemplates(weight: tf.Tensor, out: string): Promise<void> {
  const w = (await weight.data()) as Float32Array; // [784, 10] row-major
  const k = weight.shape[1]!;
  const cols = Array.from({ length: k }, (_, c) => Float32Array.from({ length: 784 }, (_, p) => w[p * k + c]!));
  const maxAbs = Math.max(...cols.map((col) => Math.max(...Array.from(col, Math.abs))));
  const side = 28 * SCALE;
  const strip = canvas(k * (side + 8) + 8, side + 40);
  for (let c = 0; c < k; c++) {
    const img = templateImage(cols[c]!, SCALE, maxAbs);
    await savePng(`${out}template-${c}.png`, img);
    paste(strip, img, 8 + c * (side + 8), 32);
    drawText(strip, String(c), 8 + c * (side + 8) + side / 2 - 6, 6, 4, [0, 0, 0]);
  }
  await savePng(`${out}templates.png`, strip);
}

export async function trainLinear(d: LinearInputs): Promise<{ acc: number; cm: number[][]; lr: number; reg: number }> {
  // centre the pixels on the training mean image (CS231n's preprocessing)
  const mean = tf.mean(d.xTrain, 0, true); // [1, 784]
  const [xTrain, xVal, xTest] = [d.xTrain, d.xVal, d.xTest].map((x) => tf.sub(x, mean)) as tf.Tensor2D[];
  const steps = Math.ceil(d.xTrain.shape[0] / BATCH) * EPOCHS;
  let best: { model: LinearClassifier; acc: number; lr: number; reg: number } | null = null;
  for (const lr of LRS) {
    for (const reg of REGS) {
      const model = new LinearClassifier({ numFeatures: 784, numClasses: 10, loss: 'softmax', reg, generator: new Generator(d.seed) });
      const bar = new StepProgress(`linear softmax: SGD lr ${lr}, reg ${reg}`, steps);
      let last = 0;
      try {
        await model.fit(xTrain!, d.yTrain, {
          epochs: EPOCHS,
          batchSize: BATCH,
          learningRate: lr,
          onStep: ({ loss, epoch }) => {
            last = loss;
            bar.tick(1, `epoch ${epoch + 1}/${EPOCHS} loss ${loss.toFixed(3)}`);
          },
        });
      } catch (e) {
        if (!isFoveaError(e)) throw e;
        bar.finish(`diverged (${e.got}), skipped`); // fit stops when the loss is no longer finite
        model.dispose();
        continue;
      }
      const acc = await model.score(xVal!, d.yVal);
      bar.finish(`final loss ${last.toFixed(3)}, validation accuracy ${(100 * acc).toFixed(2)} %`);
      if (!best || acc > best.acc) {
        best?.model.dispose();
        best = { model, acc, lr, reg };
      } else {
        model.dispose();
      }
    }
  }
  if (!best) throw new Error('every learning rate diverged');
  const { model, lr, reg } = best;
  const pred = model.predict(xTest!);
  const acc = await accuracy(pred, d.yTest);
  const cm = await confusionMatrix(pred, d.yTest, { numClasses: 10 });
  console.log(`linear softmax: chose lr ${lr}, reg ${reg} on validation (${(100 * best.acc).toFixed(2)} %); test accuracy ${(100 * acc).toFixed(2)} %`);
  await saveTemplates(model.weight, d.out);
  tf.dispose([pred, mean, xTrain!, xVal!, xTest!]);
  model.dispose();
  return { acc, cm, lr, reg };
}
