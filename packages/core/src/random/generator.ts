import { FoveaError } from '../errors/fovea-error.js';

/** PyTorch's default seed, so an unseeded run is still reproducible. */
const DEFAULT_SEED = 67280421310721 % 2 ** 32;

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32):
 * the one source of randomness for initialisation, dropout, shuffling,
 * sampling and augmentation in every Fovea package, so that one seed
 * reproduces a run on every backend. Its state can be saved and restored
 * (checkpoints resume the same random stream).
 *
 * @example
 * ```ts
 * import { Generator } from '@fovea/core';
 * const g = new Generator(42);
 * g.random(); // a number in [0, 1), the same for every run seeded with 42
 * g.normal(); // a standard normal sample
 * ```
 * @category Random
 */
export class Generator {
  private s = new Uint32Array(4);
  private seed = 0;
  private spare: number | null = null;

  /** @param seed a non-negative integer (default: PyTorch's default seed). */
  constructor(seed: number = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** Re-seeds the generator; returns it. */
  manualSeed(seed: number): this {
    if (!Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
      throw new FoveaError({ op: 'Generator.manualSeed', arg: 'seed', expected: 'a non-negative safe integer', got: String(seed) });
    }
    this.seed = seed;
    const st = { s: (seed >>> 0) ^ Math.floor(seed / 2 ** 32) };
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32(st);
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    this.spare = null;
    return this;
  }

  /** The seed last given to {@link Generator.manualSeed} or the constructor. */
  initialSeed(): number {
    return this.seed;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform sample in `[0, 1)` with 32 bits of resolution. */
  random(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in `[low, high)`. */
  randint(low: number, high: number): number {
    const n = high - low;
    if (!(n > 0) || !Number.isInteger(low) || !Number.isInteger(high)) {
      throw new FoveaError({ op: 'Generator.randint', arg: 'high', expected: `an integer > low (${low})`, got: String(high) });
    }
    // rejection sampling avoids modulo bias
    const limit = Math.floor(4294967296 / n) * n;
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return low + (x % n);
  }

  /** A standard normal sample (Box–Muller, the spare value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A random permutation of `0..n-1` (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.randint(0, i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A new generator seeded from this one's stream (an independent child stream). */
  fork(): Generator {
    return new Generator(this.nextUint32() * 2 ** 20 + (this.nextUint32() >>> 12));
  }

  /** The full state, for checkpoints (see {@link Generator.setState}). */
  getState(): GeneratorState {
    return { seed: this.seed, s: Array.from(this.s), spare: this.spare };
  }

  /** Restores a state taken by {@link Generator.getState}. */
  setState(state: GeneratorState): this {
    if (!state || !Array.isArray(state.s) || state.s.length !== 4) {
      throw new FoveaError({ op: 'Generator.setState', arg: 'state', expected: 'a state from getState()', got: typeof state });
    }
    this.seed = state.seed;
    this.s.set(state.s);
    this.spare = state.spare;
    return this;
  }
}

/** A {@link Generator}'s saved state (plain JSON). @category Random */
export interface GeneratorState {
  /** The initial seed. */
  seed: number;
  /** The four 32-bit words of xoshiro128** state. */
  s: number[];
  /** The cached second Box–Muller sample, if any. */
  spare: number | null;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let defaultGen = new Generator();

/**
 * The process-wide default generator, used when an op is not given one.
 *
 * @example
 * ```ts
 * import { defaultGenerator } from '@fovea/core';
 * defaultGenerator().random();
 * ```
 * @category Random
 */
export function defaultGenerator(): Generator {
  return defaultGen;
}

/**
 * Seeds the default generator (PyTorch's `torch.manual_seed`).
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from '@fovea/core';
 * manualSeed(0);
 * const a = randn([2, 3]); // the same values after every manualSeed(0)
 * a.dispose();
 * ```
 * @category Random
 */
export function manualSeed(seed: number): Generator {
  defaultGen.manualSeed(seed);
  return defaultGen;
}

/** Replaces the default generator (advanced; returns the previous one). @category Random */
export function setDefaultGenerator(g: Generator): Generator {
  const prev = defaultGen;
  defaultGen = g;
  return prev;
}
