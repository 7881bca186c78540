/** Conformance handlers for `generative.*` ops: each maps a case to @fovea/generative's public API. */
import type { OpHandler } from '../types.js';

export const generativeOps: Record<string, OpHandler> = {};
