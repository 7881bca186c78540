/**
 * Chamfer distance forward + backward against a PyTorch `cdist` twin, and a
 * K-nearest-neighbour search. The Fovea side is tiled (at most 4M distances
 * per tile); the twin materialises the full distance matrix, as a PyTorch
 * user without PyTorch3D would write it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, randn } from '@fovea/core';
import { chamferDistance, knnPoints } from '@fovea/geometry3d';
import type { BenchCase, BenchSuite } from '../../../tools/bench/src/types.js';

const g = new Generator(0);

function chamferCase(B: number, P: number, backends: BenchCase['backends'], runs: number): BenchCase {
  return {
    op: 'chamfer forward+backward',
    shape: `${B} x 2 clouds x ${P} points (mean/mean, squared L2)`,
    backends,
    warmup: 1,
    runs,
    setup: () => {
      const [x, y] = [randn([B, P, 3], { generator: g }), randn([B, P, 3], { generator: g })].map((t) => {
        const v = tf.variable(t);
        t.dispose();
        return v;
      }) as [tf.Variable, tf.Variable];
      return {
        run: async () => {
          const { value, grads } = tf.variableGrads(() => chamferDistance(x, y).loss as tf.Scalar, [x, y]);
          await Promise.all([value.data(), grads[x.name]!.data(), grads[y.name]!.data()]);
          tf.dispose([value, ...Object.values(grads)]);
        },
        dispose: () => tf.dispose([x, y]),
      };
    },
    torch: {
      label: 'torch.cdist(x, y)**2, min both ways, mean, backward',
      setup: `x = torch.randn(${B}, ${P}, 3, requires_grad=True); y = torch.randn(${B}, ${P}, 3, requires_grad=True)`,
      run: [
        'd = torch.cdist(x, y) ** 2',
        'loss = d.min(2).values.mean() + d.min(1).values.mean()',
        'loss.backward()',
        'x.grad = None; y.grad = None',
      ].join('\n'),
    },
  };
}

const suite: BenchSuite = {
  package: 'geometry3d',
  cases: [
    chamferCase(1, 10000, ['wasm', 'webgpu'], 5),
    chamferCase(4, 2048, ['wasm', 'cpu', 'webgpu'], 7),
    {
      op: 'knnPoints K=8',
      shape: '1 x 4096 query x 4096 reference points',
      backends: ['wasm', 'cpu', 'webgpu'],
      runs: 7,
      setup: () => {
        const a = randn([1, 4096, 3], { generator: g });
        const b = randn([1, 4096, 3], { generator: g });
        return {
          run: async () => {
            const { dists, idx } = knnPoints(a, b, { K: 8 });
            await Promise.all([dists.data(), idx.data()]);
            tf.dispose([dists, idx]);
          },
          dispose: () => tf.dispose([a, b]),
        };
      },
      torch: {
        label: 'torch.cdist(a, b).topk(8, largest=False)',
        setup: 'a = torch.randn(1, 4096, 3); b = torch.randn(1, 4096, 3)',
        run: 'd, i = torch.cdist(a, b).topk(8, dim=2, largest=False)',
      },
    },
  ],
};

export default suite;
