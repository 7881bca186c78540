/** Conformance handlers for `optim.*` ops: each maps a case to @fovea/optim's public API. */
import type { OpHandler } from '../types.js';

export const optimOps: Record<string, OpHandler> = {};
