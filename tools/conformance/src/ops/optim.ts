/** Conformance handlers for `optim.*` ops: each maps a case to @fovea/optim's public API. */
import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Parameter, checkTensor } from '@fovea/core';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  ExponentialLR,
  InverseSqrtLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  RMSprop,
  SGD,
  StepLR,
  clipGradNorm,
  type LRScheduler,
  type Optimizer,
} from '@fovea/optim';
import type { OpHandler } from '../types.js';

type Attrs = Record<string, unknown>;
const num = (a: Attrs, k: string): number => a[k] as number;

/** The optimizer a trajectory case names, with PyTorch's attrs mapped to Fovea's options. */
function makeOptimizer(a: Attrs, params: tf.Variable[]): Optimizer {
  const lr = num(a, 'lr');
  const weightDecay = num(a, 'weight_decay');
  switch (a['optimizer']) {
    case 'sgd':
      return new SGD(params, { lr, weightDecay });
    case 'momentum':
      return new SGD(params, { lr, weightDecay, momentum: num(a, 'momentum'), dampening: 0 });
    case 'nesterov':
      return new SGD(params, { lr, weightDecay, momentum: num(a, 'momentum'), dampening: 0, nesterov: true });
    case 'adagrad':
      return new Adagrad(params, { lr, weightDecay, eps: num(a, 'eps'), lrDecay: 0, initialAccumulatorValue: 0 });
    case 'rmsprop':
      return new RMSprop(params, { lr, weightDecay, alpha: num(a, 'alpha'), eps: num(a, 'eps'), momentum: num(a, 'momentum'), centered: a['centered'] as boolean });
    case 'adam':
    case 'adamw': {
      const opts = { lr, weightDecay, betas: a['betas'] as [number, number], eps: num(a, 'eps'), amsgrad: a['amsgrad'] as boolean };
      return a['optimizer'] === 'adam' ? new Adam(params, opts) : new AdamW(params, opts);
    }
    default:
      throw new FoveaError({ op: 'optim.trajectory', arg: 'optimizer', expected: 'one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw', got: String(a['optimizer']) });
  }
}

/** Minimises `f(x) = 0.5·xᵀAx − bᵀx` from `x0`: zero grad, evaluate, backward, step, `steps` times. */
const trajectory: OpHandler = ({ inputs, attrs }) => {
  const { A, b, x0 } = inputs;
  const dims = {};
  checkTensor('optim.trajectory', 'A', A, { shape: ['D', 'D'], dtype: 'float32' }, dims);
  checkTensor('optim.trajectory', 'b', b, { shape: ['D'], dtype: 'float32' }, dims);
  checkTensor('optim.trajectory', 'x0', x0, { shape: ['D'], dtype: 'float32' }, dims);
  const x = new Parameter(x0!);
  const opt = makeOptimizer(attrs, [x]);
  const xs: tf.Tensor[] = [];
  try {
    const f = (): tf.Scalar =>
      tf.tidy(() => {
        const xc = tf.reshape(x, [-1, 1]); // [D, 1]
        const quad = tf.mul(0.5, tf.sum(tf.mul(xc, tf.matMul(A!, xc))));
        return tf.sub(quad, tf.sum(tf.mul(b!, x))) as tf.Scalar;
      });
    for (let t = 0; t < num(attrs, 'steps'); t++) {
      opt.zeroGrad();
      opt.backward(f).dispose();
      opt.step();
      xs.push(tf.clone(x));
    }
    return { xs: tf.stack(xs) };
  } finally {
    tf.dispose(xs);
    opt.dispose();
    x.dispose();
  }
};

function makeScheduler(a: Attrs, opt: Optimizer): LRScheduler {
  switch (a['kind']) {
    case 'step':
      return new StepLR(opt, { stepSize: num(a, 'step_size'), gamma: num(a, 'gamma') });
    case 'multistep':
      return new MultiStepLR(opt, { milestones: a['milestones'] as number[], gamma: num(a, 'gamma') });
    case 'exponential':
      return new ExponentialLR(opt, { gamma: num(a, 'gamma') });
    case 'cosine':
      return new CosineAnnealingLR(opt, { tMax: num(a, 'T_max'), etaMin: num(a, 'eta_min') });
    case 'cosine_warm_restarts':
      return new CosineAnnealingWarmRestarts(opt, { t0: num(a, 'T_0'), tMult: num(a, 'T_mult'), etaMin: num(a, 'eta_min') });
    case 'linear':
      return new LinearLR(opt, { startFactor: num(a, 'start_factor'), endFactor: num(a, 'end_factor'), totalIters: num(a, 'total_iters') });
    case 'onecycle':
      return new OneCycleLR(opt, {
        maxLr: num(a, 'max_lr'),
        totalSteps: num(a, 'total_steps'),
        pctStart: num(a, 'pct_start'),
        annealStrategy: a['anneal_strategy'] as 'cos' | 'linear',
        divFactor: num(a, 'div_factor'),
        finalDivFactor: num(a, 'final_div_factor'),
        cycleMomentum: false,
      });
    case 'inverse_sqrt':
      return new InverseSqrtLR(opt, { warmupSteps: num(a, 'warmup_steps') });
    default:
      throw new FoveaError({ op: 'optim.schedule', arg: 'kind', expected: 'a known schedule kind', got: String(a['kind']) });
  }
}

/** The lr in the first group before each optimizer step, with `scheduler.step()` after each step. */
const schedule: OpHandler = ({ attrs }) => {
  const init = tf.zeros([1]);
  const p = new Parameter(init);
  init.dispose();
  const opt = new SGD([p], { lr: num(attrs, 'base_lr') });
  try {
    const sched = makeScheduler(attrs, opt);
    const lrs: number[] = [];
    for (let t = 0; t < num(attrs, 'steps'); t++) {
      lrs.push(opt.paramGroups[0]!.lr);
      opt.step();
      sched.step();
    }
    return { lrs: tf.tensor1d(lrs) };
  } finally {
    opt.dispose();
    p.dispose();
  }
};

/** `clip_grad_norm_` of two gradients. */
const clip: OpHandler = ({ inputs, attrs }) => {
  const nt = attrs['norm_type'];
  const { grads, totalNorm } = clipGradNorm([inputs['g0']!, inputs['g1']!], num(attrs, 'max_norm'), nt === 'inf' ? 'inf' : Number(nt));
  return { g0: grads[0]!, g1: grads[1]!, total_norm: totalNorm };
};

export const optimOps: Record<string, OpHandler> = {
  'optim.trajectory': trajectory,
  'optim.schedule': schedule,
  'optim.clip_grad_norm': clip,
};
