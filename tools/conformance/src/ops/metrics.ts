/** Conformance handlers for `metrics.*` ops: each maps a case to @fovea/metrics's public API. */
import type { OpHandler } from '../types.js';

export const metricsOps: Record<string, OpHandler> = {};
