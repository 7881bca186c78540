import { FoveaError, checkNumber, defaultGenerator, describeValue, type Generator } from '@fovea/core';

/** One dimension of a search space. Build it with {@link logUniform}, {@link uniformRange}, {@link intUniform} or {@link choice}. @category Recipes */
export type SearchDim =
  | { kind: 'logUniform'; low: number; high: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'int'; low: number; high: number }
  | { kind: 'choice'; values: readonly unknown[] };

/** A search space: hyper-parameter name → dimension. @category Recipes */
export type SearchSpace = Record<string, SearchDim>;

/** One evaluated configuration. @category Recipes */
export interface Trial<P = Record<string, unknown>> {
  /** The hyper-parameters tried. */
  params: P;
  /** What the objective returned (lower is better unless `mode: 'max'`). */
  score: number;
  /** The round of a coarse-to-fine search (0 for random/grid). */
  round: number;
}

/** What a search returns: every trial in order, and the best. @category Recipes */
export interface SearchResult<P = Record<string, unknown>> {
  trials: Trial<P>[];
  best: Trial<P>;
}

/** Options shared by the searches. @category Recipes */
export interface SearchOptions {
  /** `'min'` (default: the objective is a loss) or `'max'` (an accuracy). */
  mode?: 'min' | 'max';
  /** The random generator; default core's `defaultGenerator()`. */
  generator?: Generator;
}

/**
 * A log-uniform dimension on `[low, high]` (learning rates, weight decay: the
 * course samples these on a log scale).
 * @example
 * ```ts
 * import { logUniform } from '@fovea/optim';
 * const lr = logUniform(1e-5, 1e-1);
 * ```
 * @category Recipes
 */
export function logUniform(low: number, high: number): SearchDim {
  checkNumber('logUniform', 'low', low, { gt: 0 });
  checkNumber('logUniform', 'high', high, { gt: low });
  return { kind: 'logUniform', low, high };
}

/**
 * A uniform dimension on `[low, high]`.
 * @example
 * ```ts
 * import { uniformRange } from '@fovea/optim';
 * const dropout = uniformRange(0, 0.5);
 * ```
 * @category Recipes
 */
export function uniformRange(low: number, high: number): SearchDim {
  checkNumber('uniformRange', 'low', low);
  checkNumber('uniformRange', 'high', high, { gt: low });
  return { kind: 'uniform', low, high };
}

/**
 * A uniform integer dimension on `[low, high]` (inclusive).
 * @example
 * ```ts
 * import { intUniform } from '@fovea/optim';
 * const hidden = intUniform(32, 256);
 * ```
 * @category Recipes
 */
export function intUniform(low: number, high: number): SearchDim {
  checkNumber('intUniform', 'low', low, { integer: true });
  checkNumber('intUniform', 'high', high, { integer: true, min: low });
  return { kind: 'int', low, high };
}

/**
 * A categorical dimension.
 * @example
 * ```ts
 * import { choice } from '@fovea/optim';
 * const opt = choice(['sgd', 'adam']);
 * ```
 * @category Recipes
 */
export function choice(values: readonly unknown[]): SearchDim {
  if (!Array.isArray(values) || values.length === 0) throw new FoveaError({ op: 'choice', arg: 'values', expected: 'a non-empty array', got: describeValue(values) });
  return { kind: 'choice', values };
}

/** @internal Draws one value of a dimension. */
export function sampleDim(d: SearchDim, g: Generator): unknown {
  switch (d.kind) {
    case 'logUniform':
      return Math.exp(Math.log(d.low) + g.random() * (Math.log(d.high) - Math.log(d.low)));
    case 'uniform':
      return d.low + g.random() * (d.high - d.low);
    case 'int':
      return g.randint(d.low, d.high + 1);
    case 'choice':
      return d.values[g.randint(0, d.values.length)];
  }
}

/** @internal */
export function checkSpace(op: string, space: SearchSpace): void {
  if (!space || typeof space !== 'object' || Object.keys(space).length === 0) {
    throw new FoveaError({ op, arg: 'space', expected: 'an object of search dimensions', got: describeValue(space) });
  }
  for (const [k, d] of Object.entries(space)) {
    if (!d || !['logUniform', 'uniform', 'int', 'choice'].includes((d as SearchDim).kind)) {
      throw new FoveaError({ op, arg: `space.${k}`, expected: 'a dimension from logUniform/uniformRange/intUniform/choice', got: describeValue(d) });
    }
  }
}

/** @internal Runs trials in order and tracks the best. */
export async function runTrials<P>(op: string, configs: P[], objective: (p: P) => number | Promise<number>, round: number, into: Trial<P>[]): Promise<void> {
  for (const params of configs) {
    const score = await objective(params);
    if (typeof score !== 'number' || Number.isNaN(score)) {
      throw new FoveaError({ op, arg: 'objective', expected: 'a number (NaN is not a score)', got: `${describeValue(score)} for ${JSON.stringify(params)}` });
    }
    into.push({ params, score, round });
  }
}

/** @internal The best trial. */
export function bestOf<P>(trials: Trial<P>[], mode: 'min' | 'max'): Trial<P> {
  return trials.reduce((a, b) => (mode === 'min' ? (b.score < a.score ? b : a) : b.score > a.score ? b : a));
}

/**
 * Random search (Bergstra & Bengio 2012): `trials` configurations drawn
 * independently from `space`, each scored by `objective` (e.g. a short
 * training run returning the validation loss), in order.
 *
 * @example
 * ```ts
 * import { Generator } from '@fovea/core';
 * import { randomSearch, logUniform } from '@fovea/optim';
 * const r = await randomSearch({ lr: logUniform(1e-4, 1) }, async ({ lr }) => (Math.log10(lr as number) + 2) ** 2, { trials: 20, generator: new Generator(0) });
 * r.best.params.lr; // close to 1e-2
 * ```
 * @category Recipes
 */
export async function randomSearch(
  space: SearchSpace,
  objective: (params: Record<string, unknown>) => number | Promise<number>,
  opts: SearchOptions & { trials: number },
): Promise<SearchResult> {
  checkSpace('randomSearch', space);
  const n = checkNumber('randomSearch', 'opts.trials', opts?.trials, { integer: true, min: 1 });
  const g = opts.generator ?? defaultGenerator();
  const mode = opts.mode ?? 'min';
  const configs = Array.from({ length: n }, () => Object.fromEntries(Object.entries(space).map(([k, d]) => [k, sampleDim(d, g)])));
  const trials: Trial[] = [];
  await runTrials('randomSearch', configs, objective, 0, trials);
  return { trials, best: bestOf(trials, mode) };
}

/**
 * Grid search: every combination of the listed values (the last key varies
 * fastest), each scored by `objective`.
 *
 * @example
 * ```ts
 * import { gridSearch } from '@fovea/optim';
 * const r = await gridSearch({ lr: [1e-3, 1e-2], wd: [0, 1e-4] }, async ({ lr, wd }) => lr + wd);
 * r.trials.length; // 4
 * ```
 * @category Recipes
 */
export async function gridSearch<G extends Record<string, readonly unknown[]>>(
  grid: G,
  objective: (params: { [K in keyof G]: G[K][number] }) => number | Promise<number>,
  opts: Omit<SearchOptions, 'generator'> = {},
): Promise<SearchResult<{ [K in keyof G]: G[K][number] }>> {
  type P = { [K in keyof G]: G[K][number] };
  const keys = Object.keys(grid ?? {});
  if (keys.length === 0) throw new FoveaError({ op: 'gridSearch', arg: 'grid', expected: 'an object of value lists', got: describeValue(grid) });
  for (const k of keys) {
    if (!Array.isArray(grid[k]) || grid[k]!.length === 0) throw new FoveaError({ op: 'gridSearch', arg: `grid.${k}`, expected: 'a non-empty array of values', got: describeValue(grid[k]) });
  }
  let configs: Record<string, unknown>[] = [{}];
  for (const k of keys) configs = configs.flatMap((c) => grid[k]!.map((v) => ({ ...c, [k]: v })));
  const mode = opts.mode ?? 'min';
  const trials: Trial<P>[] = [];
  await runTrials('gridSearch', configs as P[], objective, 0, trials);
  return { trials, best: bestOf(trials, mode) };
}
