/** Conformance handlers for `geometry3d.*` ops: each maps a case to @fovea/geometry3d's public API. */
import type { OpHandler } from '../types.js';

export const geometry3dOps: Record<string, OpHandler> = {};
