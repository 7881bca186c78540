/** Conformance handlers for `core.*` ops: each maps a case to @fovea/core's public API. */
import type { OpHandler } from '../types.js';

export const coreOps: Record<string, OpHandler> = {};
