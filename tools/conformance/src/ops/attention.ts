/** Conformance handlers for `attention.*` ops: each maps a case to @fovea/attention's public API. */
import type { OpHandler } from '../types.js';

export const attentionOps: Record<string, OpHandler> = {};
