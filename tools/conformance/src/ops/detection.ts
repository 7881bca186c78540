/** Conformance handlers for `detection.*` ops: each maps a case to @fovea/detection's public API. */
import type { OpHandler } from '../types.js';

export const detectionOps: Record<string, OpHandler> = {};
