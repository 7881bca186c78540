/**
 * The standard benchmark: one training step (forward, backward, Adam)
 * of a small CNN on a batch of 64 28×28×1 digits — conv 1→32 3×3 valid + ReLU
 * + max pool 2, conv 32→64 3×3 + ReLU + max pool 2, flatten, dense 128 +
 * ReLU, dense 10, softmax cross-entropy — built from @fovea/layers modules and
 * @fovea/optim's Adam, against the same step in PyTorch. Also a conv2d forward
 * (batch 64, 32×32, 32→64, 3×3) through `conv2d`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, ReLU, Sequential, crossEntropy, randint, randn } from '@fovea/core';
import { Adam } from '@fovea/optim';
import { Conv2d, Flatten, Linear, MaxPool2d, conv2d } from '@fovea/layers';
import type { BenchSuite } from '../../../tools/bench/src/types.js';

const g = new Generator(0);

/** The benchmark CNN (PyTorch's layout of the same net is in the torch twin). */
function cnn(): Sequential {
  return new Sequential(
    new Conv2d(1, 32, 3, { generator: g }), // [N, 26, 26, 32]
    new ReLU(),
    new MaxPool2d(2), // [N, 13, 13, 32]
    new Conv2d(32, 64, 3, { generator: g }), // [N, 11, 11, 64]
    new ReLU(),
    new MaxPool2d(2), // [N, 5, 5, 64]
    new Flatten(), // [N, 1600]
    new Linear(1600, 128, { generator: g }),
    new ReLU(),
    new Linear(128, 10, { generator: g }), // [N, 10]
  );
}

/** Waits for queued GPU work (wasm and cpu run synchronously). */
async function settle(t: tf.Tensor): Promise<void> {
  await t.data();
}

const suite: BenchSuite = {
  package: 'layers',
  cases: [
    {
      op: 'cnn-train-step',
      shape: 'N64 28x28x1: conv32-pool-conv64-pool-fc128-fc10, CE, Adam',
      runs: 15,
      warmup: 3,
      setup: () => {
        const model = cnn();
        const opt = new Adam(model.parameters(), { lr: 1e-3 });
        const x = randn([64, 28, 28, 1], { generator: g });
        const y = randint(0, 10, [64], { generator: g });
        return {
          run: async () => {
            const { value, grads } = tf.variableGrads(() => crossEntropy(model.forward(x), y) as tf.Scalar);
            opt.step(grads);
            await settle(value);
            tf.dispose([value, ...Object.values(grads)]);
          },
          dispose: () => {
            opt.dispose();
            model.dispose();
            tf.dispose([x, y]);
          },
        };
      },
      torch: {
        label: 'nn.Sequential CNN + F.cross_entropy + torch.optim.Adam (NCHW)',
        setup: [
          'torch.manual_seed(0)',
          'net = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(1600, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))',
          'opt = torch.optim.Adam(net.parameters(), lr=1e-3)',
          'x = torch.randn(64, 1, 28, 28); y = torch.randint(0, 10, (64,))',
        ].join('\n'),
        run: 'opt.zero_grad(); loss = torch.nn.functional.cross_entropy(net(x), y); loss.backward(); opt.step()',
      },
    },
    {
      op: 'conv2d forward',
      shape: 'N64 32x32 32->64 3x3 pad 1',
      runs: 9,
      setup: () => {
        const x = randn([64, 32, 32, 32], { generator: g }); // NHWC
        const w = randn([3, 3, 32, 64], { generator: g, std: 0.05 });
        const b = randn([64], { generator: g });
        return {
          run: async () => {
            const out = conv2d(x, w, b, { padding: 1 });
            await settle(out);
            out.dispose();
          },
          dispose: () => tf.dispose([x, w, b]),
        };
      },
      torch: {
        label: 'F.conv2d (NCHW)',
        setup: 'x = torch.randn(64, 32, 32, 32); w = torch.randn(64, 32, 3, 3) * 0.05; b = torch.randn(64)',
        run: 'out = torch.nn.functional.conv2d(x, w, b, padding=1)',
      },
    },
  ],
};

export default suite;
