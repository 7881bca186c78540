/**
 * The digits demo: kNN and a linear softmax classifier on the mnist package's
 * 10,000 digits, with the canonical split of @fovea/core (8,000 train /
 * 1,000 validation / 1,000 test, seeded). kNN's k is chosen by 5-fold
 * cross-validation on the training digits; the linear classifier's learning
 * rate and L2 strength by validation accuracy. Both are scored once on the
 * test digits. Writes the learned class templates and both confusion
 * matrices as PNGs to examples/digits/out/.
 *
 *   pnpm demo      (from the repository root: builds, then runs this)
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { Generator, KNNClassifier, crossValidateKnn, initBackend, loadDigits, type DigitsSplit } from '@fovea/core';
import { accuracy, confusionMatrix } from '@fovea/metrics';
import { StepProgress } from '@fovea/optim';
import { confusionImage, savePng } from './png.js';
import { trainLinear } from './linear.js';

const SEED = 0; // one seed reproduces the run (fold shuffling, initialisation, SGD order)
const KS = [1, 3, 5, 7, 9, 12, 15, 20]; // kNN candidates scored by cross-validation
const OUT = fileURLToPath(new URL('../out/', import.meta.url));

/** `[N, 784]` rows of a split's `[N, 28, 28, 1]` images. */
function rows(s: DigitsSplit): tf.Tensor2D {
  return tf.reshape(s.images, [-1, 28 * 28]); // [N, 784]
}

async function knn(xTrain: tf.Tensor2D, yTrain: tf.Tensor1D, xTest: tf.Tensor2D, yTest: tf.Tensor1D): Promise<{ k: number; acc: number; cm: number[][] }> {
  const cvBar = new StepProgress('kNN: 5-fold cross-validation of k', 5);
  const cv = await crossValidateKnn(xTrain, yTrain, {
    ks: KS,
    folds: 5,
    shuffle: true,
    generator: new Generator(SEED),
    onProgress: (done) => cvBar.tick(1, `fold ${done}/5`),
  });
  cvBar.finish(`best k = ${cv.bestK}`);
  for (let i = 0; i < cv.ks.length; i++) {
    const folds = cv.foldAccuracies[i]!.map((a) => (100 * a).toFixed(1)).join(' ');
    console.log(`  k = ${String(cv.ks[i]).padStart(2)}  mean ${(100 * cv.meanAccuracy[i]!).toFixed(2)} %   folds ${folds}${cv.ks[i] === cv.bestK ? '  ←' : ''}`);
  }
  const model = await new KNNClassifier({ k: cv.bestK }).fit(xTrain, yTrain);
  const testBar = new StepProgress(`kNN: classifying the test digits (k = ${cv.bestK})`, xTest.shape[0]);
  let last = 0;
  const pred = await model.predict(xTest, {
    onProgress: (done) => {
      testBar.tick(done - last);
      last = done;
    },
  });
  model.dispose();
  const acc = await accuracy(pred, yTest);
  const cm = await confusionMatrix(pred, yTest, { numClasses: 10 });
  pred.dispose();
  testBar.finish(`test accuracy ${(100 * acc).toFixed(2)} %`);
  return { k: cv.bestK, acc, cm };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const info = await initBackend();
  console.log(`Fovea digits demo — ${info.summary}`);
  const digits = await loadDigits();
  console.log(`digits: ${digits.train.labels.shape[0]} train / ${digits.val.labels.shape[0]} validation / ${digits.test.labels.shape[0]} test (canonical split, seed ${SEED})`);
  const [xTrain, xVal, xTest] = [rows(digits.train), rows(digits.val), rows(digits.test)];
  const [yTrain, yVal, yTest] = [digits.train.labels, digits.val.labels, digits.test.labels];
  mkdirSync(OUT, { recursive: true });

  const nn = await knn(xTrain, yTrain, xTest, yTest);
  await savePng(`${OUT}confusion-knn.png`, confusionImage(nn.cm, `knn k=${nn.k}  test ${(100 * nn.acc).toFixed(1)}%`));

  const lin = await trainLinear({ xTrain, yTrain, xVal, yVal, xTest, yTest, seed: SEED, out: OUT });
  await savePng(`${OUT}confusion-linear.png`, confusionImage(lin.cm, `linear softmax  test ${(100 * lin.acc).toFixed(1)}%`));

  console.log('');
  console.log(`test accuracy (1,000 digits): kNN (k = ${nn.k}) ${(100 * nn.acc).toFixed(2)} %   linear softmax ${(100 * lin.acc).toFixed(2)} %`);
  console.log(`wrote ${OUT}{templates.png, template-0..9.png, confusion-knn.png, confusion-linear.png}`);
  console.log(`total time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  tf.dispose([xTrain, xVal, xTest, digits.train.images, digits.val.images, digits.test.images, yTrain, yVal, yTest]);
}

await main();
