/**
 * The fused optimizer updates' formulas, each twice: a scalar JavaScript loop
 * (doubles, stored float32; the cpu backend, and the last `n mod 4` elements
 * on wasm) and a SIMD program (float32, four lanes; the wasm backend, see
 * _fused-simd.ts). Both are exactly the tf-op path's formulas (torch.optim
 * 1.13; sgd.ts, adagrad.ts, rmsprop.ts, adam.ts). Inputs are `p, g, state…`,
 * outputs `p, state…`, all float32 of the parameter's size.
 */
import { E, type Expr, type Stmt } from './_fused-simd.js';

/** The hyper-parameters every kernel receives. */
export interface Common {
  lr: number;
  weightDecay: number;
  maximize: boolean;
}

/** One optimizer family: its JavaScript loop over `[start, n)` and its SIMD program for the given attributes. */
export interface Family<A extends Common> {
  js: (ins: Float32Array[], outs: Float32Array[], a: A, start: number) => void;
  /** The variant's cache key, its loop body, and its float32 constants (at most 8). */
  simd: (a: A) => { key: string; stmts: Stmt[]; consts: number[] };
}

// SIMD pointers: 0 p, 1 g, 2–4 state inputs, 5–8 outputs (5 is the new p).
const X = E.load(0);
/** `d = ±g (+ wd·x)`, with `wd` in constant `kWd`. */
function gradStmts(a: Common, kWd: number, coupled = true): Stmt[] {
  const s: Stmt[] = [{ set: 'x', e: X }, { set: 'd', e: a.maximize ? E.neg(E.load(1)) : E.load(1) }];
  if (coupled && a.weightDecay !== 0) s.push({ set: 'd', e: E.add(E.v('d'), E.mul(E.c(kWd), E.v('x'))) });
  return s;
}
const flags = (...f: boolean[]): string => f.map((b) => (b ? 1 : 0)).join('');

export type SgdAttrs = Common & { momentum: number; dampening: number; nesterov: boolean; hasBuf: boolean };
/** SGD: state `momentum_buffer` (when momentum ≠ 0; absent before the first step). */
export const sgd: Family<SgdAttrs> = {
  js: ([p, g, bufIn], [pOut, bufOut], a, start) => {
    const n = p!.length;
    const { lr, weightDecay: wd, momentum: mu, nesterov, hasBuf } = a;
    const sign = a.maximize ? -1 : 1;
    const damp = 1 - a.dampening;
    for (let i = start; i < n; i++) {
      const x = p![i]!;
      let d = sign * g![i]!;
      if (wd !== 0) d += wd * x;
      if (mu !== 0) {
        const b = hasBuf ? mu * bufIn![i]! + (damp === 1 ? d : damp * d) : d;
        bufOut![i] = b;
        d = nesterov ? d + mu * b : b;
      }
      pOut![i] = x - lr * d;
    }
  },
  simd: (a) => {
    const damp = 1 - a.dampening;
    const s = gradStmts(a, 1);
    if (a.momentum !== 0) {
      const d = E.v('d');
      s.push({ set: 'b', e: a.hasBuf ? E.add(E.mul(E.c(2), E.load(2)), damp === 1 ? d : E.mul(E.c(3), d)) : d });
      s.push({ store: 6, e: E.v('b') });
      s.push({ set: 'd', e: a.nesterov ? E.add(d, E.mul(E.c(2), E.v('b'))) : E.v('b') });
    }
    s.push({ store: 5, e: E.sub(E.v('x'), E.mul(E.c(0), E.v('d'))) });
    const key = `sgd${flags(a.maximize, a.weightDecay !== 0, a.momentum !== 0, a.hasBuf, damp === 1, a.nesterov)}`;
    return { key, stmts: s, consts: [a.lr, a.weightDecay, a.momentum, damp] };
  },
};

export type AdagradAttrs = Common & { clr: number; eps: number; init: number; hasState: boolean };
/** Adagrad: state `sum` (`clr` is the step's decayed learning rate). */
export const adagrad: Family<AdagradAttrs> = {
  js: ([p, g, sumIn], [pOut, sumOut], a, start) => {
    const n = p!.length;
    const { clr, eps, weightDecay: wd, init, hasState } = a;
    const sign = a.maximize ? -1 : 1;
    for (let i = start; i < n; i++) {
      const x = p![i]!;
      let d = sign * g![i]!;
      if (wd !== 0) d += wd * x;
      const s = (hasState ? sumIn![i]! : init) + d * d;
      sumOut![i] = s;
      pOut![i] = x - clr * (d / (Math.sqrt(s) + eps));
    }
  },
  simd: (a) => {
    const s = gradStmts(a, 2);
    const d = E.v('d');
    s.push({ set: 's', e: E.add(a.hasState ? E.load(2) : E.c(3), E.mul(d, d)) });
    s.push({ store: 6, e: E.v('s') });
    s.push({ store: 5, e: E.sub(E.v('x'), E.mul(E.c(0), E.div(d, E.add(E.sqrt(E.v('s')), E.c(1))))) });
    return { key: `adagrad${flags(a.maximize, a.weightDecay !== 0, a.hasState)}`, stmts: s, consts: [a.clr, a.eps, a.weightDecay, a.init] };
  },
};

export type RmspropAttrs = Common & { alpha: number; eps: number; momentum: number; centered: boolean; hasState: boolean };
/** RMSprop: state `square_avg`, then `grad_avg` (centered), then `momentum_buffer` (momentum > 0). */
export const rmsprop: Family<RmspropAttrs> = {
  js: (ins, outs, a, start) => {
    const { lr, alpha, eps, weightDecay: wd, momentum: mu, centered, hasState } = a;
    const sign = a.maximize ? -1 : 1;
    const [p, g, sqIn] = ins;
    const [pOut, sqOut] = outs;
    const gaIn = centered ? ins[3] : undefined;
    const gaOut = centered ? outs[2] : undefined;
    const bufIn = mu > 0 ? ins[centered ? 4 : 3] : undefined;
    const bufOut = mu > 0 ? outs[centered ? 3 : 2] : undefined;
    const n = p!.length;
    const oma = 1 - alpha;
    for (let i = start; i < n; i++) {
      const x = p![i]!;
      let d = sign * g![i]!;
      if (wd !== 0) d += wd * x;
      const sq = (hasState ? alpha * sqIn![i]! : 0) + oma * d * d;
      sqOut![i] = sq;
      let den: number;
      if (centered) {
        const ga = (hasState ? alpha * gaIn![i]! : 0) + oma * d;
        gaOut![i] = ga;
        const v = sq - ga * ga;
        den = Math.sqrt(v < 0 ? 0 : v) + eps; // a variance: clamped at 0 against rounding
      } else den = Math.sqrt(sq) + eps;
      if (mu > 0) {
        const b = (hasState ? mu * bufIn![i]! : 0) + d / den;
        bufOut![i] = b;
        pOut![i] = x - lr * b;
      } else pOut![i] = x - lr * (d / den);
    }
  },
  simd: (a) => {
    const s = gradStmts(a, 4);
    const d = E.v('d');
    const ema = (ptr: number, e: Expr): Expr => (a.hasState ? E.add(E.mul(E.c(1), E.load(ptr)), E.mul(E.c(2), e)) : E.mul(E.c(2), e));
    s.push({ set: 'sq', e: ema(2, E.mul(d, d)) }, { store: 6, e: E.v('sq') });
    let den: Expr;
    if (a.centered) {
      s.push({ set: 'ga', e: ema(3, d) }, { store: 7, e: E.v('ga') });
      den = E.add(E.sqrt(E.max(E.sub(E.v('sq'), E.mul(E.v('ga'), E.v('ga'))), E.zero())), E.c(3));
    } else den = E.add(E.sqrt(E.v('sq')), E.c(3));
    s.push({ set: 'den', e: den });
    if (a.momentum > 0) {
      const step = E.div(d, E.v('den'));
      s.push({ set: 'b', e: a.hasState ? E.add(E.mul(E.c(5), E.load(a.centered ? 4 : 3)), step) : step });
      s.push({ store: a.centered ? 8 : 7, e: E.v('b') });
      s.push({ store: 5, e: E.sub(E.v('x'), E.mul(E.c(0), E.v('b'))) });
    } else s.push({ store: 5, e: E.sub(E.v('x'), E.mul(E.c(0), E.div(d, E.v('den')))) });
    const key = `rmsprop${flags(a.maximize, a.weightDecay !== 0, a.centered, a.momentum > 0, a.hasState)}`;
    return { key, stmts: s, consts: [a.lr, a.alpha, 1 - a.alpha, a.eps, a.weightDecay, a.momentum] };
  },
};

export type AdamAttrs = Common & { beta1: number; beta2: number; eps: number; step: number; decoupled: boolean; amsgrad: boolean; hasState: boolean };
/** Adam / AdamW (`decoupled`): state `exp_avg`, `exp_avg_sq`, then `max_exp_avg_sq` (amsgrad); `step` already incremented. */
export const adam: Family<AdamAttrs> = {
  js: ([p, g, mIn, vIn, vmaxIn], [pOut, mOut, vOut, vmaxOut], a, start) => {
    const { lr, beta1: b1, beta2: b2, eps, step, weightDecay: wd, decoupled, amsgrad, hasState } = a;
    const sign = a.maximize ? -1 : 1;
    const n = p!.length;
    const coupledWd = decoupled ? 0 : wd;
    const shrink = decoupled ? 1 - lr * wd : 1; // AdamW: x ← x·(1 − lr·wd) first
    const stepSize = lr / (1 - b1 ** step);
    const sqrtBc2 = Math.sqrt(1 - b2 ** step);
    const omb1 = 1 - b1;
    const omb2 = 1 - b2;
    for (let i = start; i < n; i++) {
      const x = p![i]!;
      let d = sign * g![i]!;
      if (coupledWd !== 0) d += coupledWd * x;
      const m = (hasState ? b1 * mIn![i]! : 0) + omb1 * d;
      let v = (hasState ? b2 * vIn![i]! : 0) + omb2 * d * d;
      mOut![i] = m;
      vOut![i] = v;
      if (amsgrad) {
        v = hasState ? Math.max(vmaxIn![i]!, v) : Math.max(0, v);
        vmaxOut![i] = v;
      }
      const xd = shrink === 1 ? x : x * shrink;
      pOut![i] = lr === 0 ? xd : xd - (stepSize * m) / (Math.sqrt(v) / sqrtBc2 + eps); // lr 0: no update (and no 0·∞)
    }
  },
  simd: (a) => {
    const { lr, beta1: b1, beta2: b2, step, weightDecay: wd, decoupled } = a;
    const s = gradStmts(a, 7, !decoupled);
    const d = E.v('d');
    const ema = (ptr: number, kb: number, e: Expr): Expr => (a.hasState ? E.add(E.mul(E.c(kb), E.load(ptr)), E.mul(E.c(kb + 1), e)) : E.mul(E.c(kb + 1), e));
    s.push({ set: 'm', e: ema(2, 1, d) }, { store: 6, e: E.v('m') });
    s.push({ set: 'v', e: ema(3, 3, E.mul(d, d)) }, { store: 7, e: E.v('v') });
    if (a.amsgrad) {
      if (a.hasState) s.push({ set: 'v', e: E.max(E.load(4), E.v('v')) });
      s.push({ store: 8, e: E.v('v') });
    }
    const shrinks = decoupled && wd !== 0;
    const xd = shrinks ? E.mul(E.v('x'), E.c(7)) : E.v('x');
    const upd = E.div(E.mul(E.c(0), E.v('m')), E.add(E.mul(E.sqrt(E.v('v')), E.c(5)), E.c(6)));
    s.push({ store: 5, e: lr === 0 ? xd : E.sub(xd, upd) });
    const key = `adam${flags(a.maximize, wd !== 0, decoupled, a.amsgrad, a.hasState, lr === 0)}`;
    const consts = [lr === 0 ? 0 : lr / (1 - b1 ** step), b1, 1 - b1, b2, 1 - b2, 1 / Math.sqrt(1 - b2 ** step), a.eps, decoupled ? 1 - lr * wd : wd];
    return { key, stmts: s, consts };
  },
};
