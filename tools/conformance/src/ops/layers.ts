/** Conformance handlers for `layers.*` ops: each maps a case to @fovea/layers's public API. */
import type { OpHandler } from '../types.js';

export const layersOps: Record<string, OpHandler> = {};
