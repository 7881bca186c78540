/**
 * The details a {@link FoveaError} carries: which op rejected which argument,
 * what it expected and what it received.
 *
 * @category Errors
 */
export interface FoveaErrorDetails {
  /** The public op or method that rejected its input, e.g. `"nms"` or `"Linear.forward"`. */
  op: string;
  /** The argument at fault, e.g. `"boxes"` or `"options.iouThreshold"`. */
  arg: string;
  /** What the op expected, in words, e.g. `"shape [N, 4]"` or `"a finite number"`. */
  expected: string;
  /** What it received, e.g. `"shape [3, 5]"` or `"NaN at row 2"`. */
  got: string;
}

/**
 * The error every Fovea op throws for bad input. Its message always reads
 * `op: arg must be <expected>, got <got>` and the four parts are available as
 * fields, so callers can react to them without parsing text.
 *
 * @example
 * ```ts
 * import { FoveaError } from '@fovea/core';
 * try {
 *   throw new FoveaError({ op: 'nms', arg: 'boxes', expected: 'shape [N, 4]', got: 'shape [3, 5]' });
 * } catch (e) {
 *   console.log((e as FoveaError).message); // "nms: boxes must be shape [N, 4], got shape [3, 5]"
 * }
 * ```
 * @category Errors
 */
export class FoveaError extends Error implements FoveaErrorDetails {
  readonly op: string;
  readonly arg: string;
  readonly expected: string;
  readonly got: string;

  constructor(details: FoveaErrorDetails) {
    super(`${details.op}: ${details.arg} must be ${details.expected}, got ${details.got}`);
    this.name = 'FoveaError';
    this.op = details.op;
    this.arg = details.arg;
    this.expected = details.expected;
    this.got = details.got;
  }
}

/**
 * Whether `e` is a {@link FoveaError} (also across bundled copies of the package).
 *
 * @example
 * ```ts
 * import { isFoveaError } from '@fovea/core';
 * isFoveaError(new Error('x')); // false
 * ```
 * @category Errors
 */
export function isFoveaError(e: unknown): e is FoveaError {
  return e instanceof FoveaError || (e instanceof Error && e.name === 'FoveaError' && 'op' in e && 'arg' in e);
}
