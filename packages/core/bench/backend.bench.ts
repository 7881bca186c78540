/** Backend baselines: a large matmul and a conv2d forward, against PyTorch CPU. */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import type { BenchSuite } from '../../../tools/bench/src/types.js';

const g = new Generator(0);

const suite: BenchSuite = {
  package: 'core',
  cases: [
    {
      op: 'matmul',
      shape: '1024x1024 @ 1024x1024',
      runs: 7,
      setup: () => {
        const a = randn([1024, 1024], { generator: g });
        const b = randn([1024, 1024], { generator: g });
        return {
          run: async () => {
            const c = tf.matMul(a, b);
            await c.data();
            c.dispose();
          },
          dispose: () => tf.dispose([a, b]),
        };
      },
      torch: {
        label: 'torch.matmul',
        setup: 'a = torch.randn(1024, 1024); b = torch.randn(1024, 1024)',
        run: 'c = a @ b',
      },
    },
    {
      op: 'conv2d forward',
      shape: 'N64 32x32 32->64 3x3 same',
      runs: 7,
      setup: () => {
        const x = randn([64, 32, 32, 32], { generator: g }) as tf.Tensor4D; // NHWC
        const w = randn([3, 3, 32, 64], { generator: g, std: 0.05 }) as tf.Tensor4D;
        return {
          run: async () => {
            const y = tf.conv2d(x, w, 1, 'same');
            await y.data();
            y.dispose();
          },
          dispose: () => tf.dispose([x, w]),
        };
      },
      torch: {
        label: 'F.conv2d (NCHW)',
        setup: 'x = torch.randn(64, 32, 32, 32); w = torch.randn(64, 32, 3, 3) * 0.05',
        run: 'y = torch.nn.functional.conv2d(x, w, padding=1)',
      },
    },
  ],
};

export default suite;
