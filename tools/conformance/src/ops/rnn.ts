/** Conformance handlers for `rnn.*` ops: each maps a case to @fovea/rnn's public API. */
import type { OpHandler } from '../types.js';

export const rnnOps: Record<string, OpHandler> = {};
