import { checkNumber, defaultGenerator } from '@fovea/core';
import { bestOf, checkSpace, runTrials, sampleDim, type SearchDim, type SearchOptions, type SearchResult, type SearchSpace, type Trial } from './search.js';

/** Options for {@link coarseToFineSearch}. @category Recipes */
export interface CoarseToFineOptions extends SearchOptions {
  /** Rounds of random search; default 3. */
  rounds?: number;
  /** Configurations per round; default 10. */
  trialsPerRound?: number;
  /** How many of the best trials so far define the next round's ranges; default 3. */
  keepTop?: number;
}

/** The range spanned by the top trials for one dimension, widened a little (in log space for log dims). */
function narrow(d: SearchDim, values: unknown[]): SearchDim {
  if (d.kind === 'choice') return { kind: 'choice', values: d.values.filter((v) => values.includes(v)) };
  const nums = values as number[];
  if (d.kind === 'logUniform') {
    const lo = Math.log(Math.min(...nums));
    const hi = Math.log(Math.max(...nums));
    const pad = Math.max((hi - lo) * 0.25, 0.05 * (Math.log(d.high) - Math.log(d.low)));
    return { kind: 'logUniform', low: Math.max(d.low, Math.exp(lo - pad)), high: Math.min(d.high, Math.exp(hi + pad)) };
  }
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  const pad = Math.max((hi - lo) * 0.25, 0.05 * (d.high - d.low));
  if (d.kind === 'int') return { kind: 'int', low: Math.max(d.low, Math.floor(lo - pad)), high: Math.min(d.high, Math.ceil(hi + pad)) };
  return { kind: 'uniform', low: Math.max(d.low, lo - pad), high: Math.min(d.high, hi + pad) };
}

/**
 * Coarse-to-fine random search, the course's recipe: a first round samples
 * the whole space (wide, log-scaled ranges, few epochs per trial), each next
 * round samples only the region spanned by the best `keepTop` trials so far
 * (slightly widened), so the budget concentrates where the objective is good.
 * Every trial is returned with its round.
 *
 * @example
 * ```ts
 * import { Generator } from '@fovea/core';
 * import { coarseToFineSearch, logUniform } from '@fovea/optim';
 * const r = await coarseToFineSearch(
 *   { lr: logUniform(1e-6, 1), wd: logUniform(1e-6, 1e-1) },
 *   async ({ lr, wd }) => (Math.log10(lr as number) + 3) ** 2 + (Math.log10(wd as number) + 4) ** 2,
 *   { rounds: 3, trialsPerRound: 12, generator: new Generator(0) },
 * );
 * r.best.params; // near { lr: 1e-3, wd: 1e-4 }
 * ```
 * @category Recipes
 */
export async function coarseToFineSearch(
  space: SearchSpace,
  objective: (params: Record<string, unknown>) => number | Promise<number>,
  opts: CoarseToFineOptions = {},
): Promise<SearchResult & { spaces: SearchSpace[] }> {
  const op = 'coarseToFineSearch';
  checkSpace(op, space);
  const rounds = checkNumber(op, 'opts.rounds', opts.rounds ?? 3, { integer: true, min: 1 });
  const per = checkNumber(op, 'opts.trialsPerRound', opts.trialsPerRound ?? 10, { integer: true, min: 1 });
  const top = checkNumber(op, 'opts.keepTop', opts.keepTop ?? 3, { integer: true, min: 1 });
  const g = opts.generator ?? defaultGenerator();
  const mode = opts.mode ?? 'min';
  const trials: Trial[] = [];
  const spaces: SearchSpace[] = [];
  let current = space;
  for (let r = 0; r < rounds; r++) {
    spaces.push(current);
    const configs = Array.from({ length: per }, () => Object.fromEntries(Object.entries(current).map(([k, d]) => [k, sampleDim(d, g)])));
    await runTrials(op, configs, objective, r, trials);
    const best = [...trials].sort((a, b) => (mode === 'min' ? a.score - b.score : b.score - a.score)).slice(0, top);
    current = Object.fromEntries(Object.entries(space).map(([k, d]) => [k, narrow(d, best.map((t) => t.params[k]))]));
  }
  return { trials, best: bestOf(trials, mode), spaces };
}
