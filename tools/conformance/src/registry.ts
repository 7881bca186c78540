import type { OpHandler } from './types.js';

/**
 * Op name → handler, one table per package (`ops/<package>.ts`). An op not
 * listed answers `unsupported op`.
 */
export const handlers: Record<string, OpHandler> = {};
