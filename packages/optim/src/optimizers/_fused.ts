/**
 * Fused optimizer updates for the CPU-memory backends (wasm, cpu). The tf-op
 * path of an update is a chain of 3–15 elementwise kernels, each streaming
 * whole parameter-sized arrays through memory (Adam on 1M parameters: about
 * 50 MB of traffic and a dozen temporaries). Here each optimizer family is
 * one private kernel that reads the parameter, its gradient and its state
 * buffers once and writes the new parameter and state in one pass (core's
 * `runJsKernel`: zero-copy views of the wasm heap / cpu arrays): a
 * JavaScript loop on `cpu` (doubles, stored float32), a WebAssembly SIMD
 * loop on `wasm` (_fused-simd.ts; a scalar JavaScript loop is slower there
 * than the backend's XNNPACK chain). The optimizers then `assign` the
 * outputs to their variables. The kernels are registered lazily on first use
 * under Fovea-private names, so importing the package has no side effects;
 * webgpu (and any other backend), non-float32 tensors, empty parameters, and
 * wasm without reachable memory or SIMD keep the tf-op path.
 *
 * The formulas are those of the tf-op path (torch.optim 1.13): _fused-bodies.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { isJsKernelBackend, runJsKernel } from '@fovea/core';
import type { GroupOptions, ParamState } from './optimizer.js';
import type { SGDOptions } from './sgd.js';
import type { AdagradOptions } from './adagrad.js';
import type { RMSpropOptions } from './rmsprop.js';
import type { AdamOptions } from './adam.js';
import { simdAvailable, simdKernel } from './_fused-simd.js';
import { adagrad, adam, rmsprop, sgd, type Common, type Family } from './_fused-bodies.js';

type Attrs = Record<string, number | boolean>;
/** Creates a state buffer on first use (the optimizer's `buffer`). */
type BufferFn = (name: string, init: () => tf.Tensor) => tf.Variable;

let enabled = true;

/**
 * Turns the fused kernels on or off (for tests comparing them with the tf-op
 * path); returns the previous setting.
 * @internal
 */
export function setFusedUpdates(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  return prev;
}

const KERNELS: Record<string, Family<Common>> = {
  FoveaOptimSGD: sgd as unknown as Family<Common>,
  FoveaOptimAdagrad: adagrad as unknown as Family<Common>,
  FoveaOptimRMSprop: rmsprop as unknown as Family<Common>,
  FoveaOptimAdam: adam as unknown as Family<Common>,
};

/**
 * A kernel function: inputs `t0…` (p, g, state), `attrs.nOut` float32
 * outputs of p's shape. On wasm the SIMD program runs over the first
 * `4·⌊n/4⌋` elements and the JavaScript loop over the rest.
 */
function kernelFunc(family: Family<Common>): tf.KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const ins = Object.keys(inputs)
      .sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)))
      .map((k) => inputs[k]!);
    const a = attrs as unknown as Common & { nOut: number };
    const shape = ins[0]!.shape;
    const outputs = Array.from({ length: a.nOut }, () => ({ shape, dtype: 'float32' as const }));
    let simd: ((arrays: Float32Array[]) => number) | undefined;
    if (tf.getBackend() === 'wasm') {
      const { key, stmts, consts } = family.simd(a);
      const fn = simdKernel(backend, key, () => ({ stmts, nConst: consts.length }));
      if (fn) {
        simd = (arrays) => {
          const n4 = arrays[0]!.length & ~3;
          const ptrs = Array.from({ length: 9 }, (_, k) => arrays[k]?.byteOffset ?? 0);
          fn(...ptrs, n4 * 4, ...consts, ...Array(8 - consts.length).fill(0));
          return n4;
        };
      }
    }
    return runJsKernel(backend, ins, outputs, (i, o) => {
      const vi = i as Float32Array[];
      const vo = o as Float32Array[];
      // SIMD pointers: 0 p, 1 g, 2–4 state inputs, 5–8 outputs
      const start = simd ? simd([...vi, ...Array(5 - vi.length).fill(undefined), ...vo] as Float32Array[]) : 0;
      family.js(vi, vo, a, start);
    }, { zeroed: false });
  };
}

const registeredOn = new Set<string>();

/** Whether the fused kernels serve this update (registering them for the active backend on first use). */
function usable(p: tf.Tensor, g: tf.Tensor): boolean {
  if (!enabled || p.dtype !== 'float32' || g.dtype !== 'float32' || p.size === 0) return false;
  const be = tf.getBackend();
  if (!isJsKernelBackend(be)) return false;
  if (be === 'wasm' && !simdAvailable(tf.backend())) return false; // the tf-op chain beats a scalar JS loop there
  if (!registeredOn.has(be)) {
    for (const [name, family] of Object.entries(KERNELS)) {
      if (tf.getKernel(name, be) === undefined) tf.registerKernel({ kernelName: name, backendName: be, kernelFunc: kernelFunc(family) });
    }
    registeredOn.add(be);
  }
  return true;
}

/** Runs a fused kernel on `[p, g, ...state]`, returning `nOut` new float32 tensors of p's shape. */
function run(kernel: string, ins: tf.Tensor[], nOut: number, attrs: Attrs): tf.Tensor[] {
  const inputs = Object.fromEntries(ins.map((t, i) => [`t${i}`, t]));
  return tf.engine().runKernel(kernel, inputs, { ...attrs, nOut }) as unknown as tf.Tensor[];
}

/** Writes a new state tensor: assigns it to the existing buffer, or makes it the buffer (first step). */
function store(st: ParamState, buffer: BufferFn, name: string, t: tf.Tensor): void {
  const v = st.buffers.get(name);
  if (v) v.assign(t);
  else buffer(name, () => t);
}

function common(g: GroupOptions): Attrs {
  return { lr: g.lr, weightDecay: g.weightDecay, maximize: g.maximize };
}

/** SGD's fused update; `false` when the tf-op path must run instead. @internal */
export function fusedSgd(p: tf.Variable, g: tf.Tensor, group: SGDOptions, st: ParamState, buffer: BufferFn): boolean {
  if (!usable(p, g)) return false;
  const mom = group.momentum !== 0;
  const buf = mom ? st.buffers.get('momentum_buffer') : undefined;
  const attrs = { ...common(group), momentum: group.momentum, dampening: group.dampening, nesterov: group.nesterov, hasBuf: buf !== undefined };
  const [pNew, bufNew] = run('FoveaOptimSGD', buf ? [p, g, buf] : [p, g], mom ? 2 : 1, attrs);
  p.assign(pNew!);
  if (mom) store(st, buffer, 'momentum_buffer', bufNew!);
  return true;
}

/** Adagrad's fused update (`st.step` already incremented); `false` when the tf-op path must run instead. @internal */
export function fusedAdagrad(p: tf.Variable, g: tf.Tensor, group: AdagradOptions, st: ParamState, buffer: BufferFn): boolean {
  if (!usable(p, g)) return false;
  const sum = st.buffers.get('sum');
  const clr = group.lr / (1 + (st.step - 1) * group.lrDecay);
  const attrs = { ...common(group), clr, eps: group.eps, init: group.initialAccumulatorValue, hasState: sum !== undefined };
  const [pNew, sumNew] = run('FoveaOptimAdagrad', sum ? [p, g, sum] : [p, g], 2, attrs);
  p.assign(pNew!);
  store(st, buffer, 'sum', sumNew!);
  return true;
}

/** RMSprop's fused update; `false` when the tf-op path must run instead. @internal */
export function fusedRmsprop(p: tf.Variable, g: tf.Tensor, group: RMSpropOptions, st: ParamState, buffer: BufferFn): boolean {
  if (!usable(p, g)) return false;
  const names = ['square_avg', ...(group.centered ? ['grad_avg'] : []), ...(group.momentum > 0 ? ['momentum_buffer'] : [])];
  const state = names.map((n) => st.buffers.get(n));
  // all or none: a state dict may lack a buffer a changed hyper-parameter (centered, momentum) now needs
  const hasState = state.every((t) => t !== undefined);
  if (!hasState && state.some((t) => t !== undefined)) return false;
  const attrs = { ...common(group), alpha: group.alpha, eps: group.eps, momentum: group.momentum, centered: group.centered, hasState };
  const outs = run('FoveaOptimRMSprop', hasState ? [p, g, ...(state as tf.Variable[])] : [p, g], 1 + names.length, attrs);
  p.assign(outs[0]!);
  names.forEach((n, i) => store(st, buffer, n, outs[i + 1]!));
  return true;
}

/** Adam's (`decoupled`: AdamW's) fused update (`st.step` already incremented); `false` when the tf-op path must run instead. @internal */
export function fusedAdam(p: tf.Variable, g: tf.Tensor, group: AdamOptions, st: ParamState, buffer: BufferFn, decoupled: boolean): boolean {
  if (!usable(p, g)) return false;
  const names = ['exp_avg', 'exp_avg_sq', ...(group.amsgrad ? ['max_exp_avg_sq'] : [])];
  const state = names.map((n) => st.buffers.get(n));
  const hasState = state.every((t) => t !== undefined);
  if (!hasState && state.some((t) => t !== undefined)) return false;
  const [beta1, beta2] = group.betas;
  const attrs = { ...common(group), beta1, beta2, eps: group.eps, step: st.step, decoupled, amsgrad: group.amsgrad, hasState };
  const outs = run('FoveaOptimAdam', hasState ? [p, g, ...(state as tf.Variable[])] : [p, g], 1 + names.length, attrs);
  p.assign(outs[0]!);
  names.forEach((n, i) => store(st, buffer, n, outs[i + 1]!));
  return true;
}
