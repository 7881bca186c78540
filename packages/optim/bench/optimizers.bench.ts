/**
 * Optimizer step time for 1M parameters (one 1000×1000 float32 parameter with
 * a precomputed gradient), per optimizer and backend, against torch.optim on
 * PyTorch CPU. A run is one `step(grads)` (on WebGPU plus a one-element read,
 * so the queued GPU work is included).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, Parameter, randn } from '@fovea/core';
import type { BenchCase, BenchSuite } from '../../../tools/bench/src/types.js';
import { Adagrad, Adam, AdamW, RMSprop, SGD, clipGradNorm, type Optimizer } from '../src/index.js';

const SHAPE = [1000, 1000];
const g = new Generator(0);

function stepCase(op: string, make: (p: Parameter[]) => Optimizer, torchCtor: string): BenchCase {
  return {
    op: `${op} step`,
    shape: '1M params (1000x1000), precomputed grad',
    warmup: 3,
    runs: 31,
    setup: () => {
      const init = randn(SHAPE, { generator: g });
      const p = new Parameter(init);
      init.dispose();
      const grad = randn(SHAPE, { generator: g, std: 0.01 });
      const opt = make([p]);
      const grads = { [p.name]: grad };
      return {
        run: async () => {
          opt.step(grads);
          if (tf.getBackend() === 'webgpu') {
            // wasm and cpu run ops synchronously; on WebGPU wait for the queued work
            const probe = tf.slice(p, [0, 0], [1, 1]);
            await probe.data();
            probe.dispose();
          }
        },
        dispose: () => {
          opt.dispose();
          tf.dispose([p, grad]);
        },
      };
    },
    torch: {
      label: `torch.optim.${torchCtor}`,
      setup: `p = torch.randn(1000, 1000, requires_grad=True); p.grad = torch.randn(1000, 1000) * 0.01; opt = torch.optim.${torchCtor.replace('[p]', '[p]')}`,
      run: 'opt.step()',
      runs: 31,
    },
  };
}

const suite: BenchSuite = {
  package: 'optim',
  cases: [
    stepCase('SGD', (p) => new SGD(p, { lr: 0.01 }), 'SGD([p], lr=0.01)'),
    stepCase('SGD momentum', (p) => new SGD(p, { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 }), 'SGD([p], lr=0.01, momentum=0.9, weight_decay=1e-4)'),
    stepCase('SGD nesterov', (p) => new SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true }), 'SGD([p], lr=0.01, momentum=0.9, nesterov=True)'),
    stepCase('Adagrad', (p) => new Adagrad(p, { lr: 0.01 }), 'Adagrad([p], lr=0.01)'),
    stepCase('RMSprop', (p) => new RMSprop(p, { lr: 0.01 }), 'RMSprop([p], lr=0.01)'),
    stepCase('RMSprop centered+momentum', (p) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.9 }), 'RMSprop([p], lr=0.01, centered=True, momentum=0.9)'),
    stepCase('Adam', (p) => new Adam(p, { lr: 1e-3 }), 'Adam([p], lr=1e-3)'),
    stepCase('Adam amsgrad', (p) => new Adam(p, { lr: 1e-3, amsgrad: true }), 'Adam([p], lr=1e-3, amsgrad=True)'),
    stepCase('AdamW', (p) => new AdamW(p, { lr: 1e-3, weightDecay: 0.01 }), 'AdamW([p], lr=1e-3, weight_decay=0.01)'),
    {
      op: 'clipGradNorm',
      shape: '1M grad entries (1000x1000), max_norm 1',
      runs: 31,
      setup: () => {
        const grad = randn(SHAPE, { generator: g });
        return {
          run: async () => {
            const { grads, totalNorm } = clipGradNorm([grad], 1);
            await totalNorm.data();
            tf.dispose([totalNorm, ...grads]);
          },
          dispose: () => grad.dispose(),
        };
      },
      torch: {
        label: 'torch.nn.utils.clip_grad_norm_',
        setup: 'p = torch.zeros(1000, 1000); p.grad = torch.randn(1000, 1000)',
        run: 'torch.nn.utils.clip_grad_norm_([p], 1.0)',
      },
    },
  ],
};

export default suite;
