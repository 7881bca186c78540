export { runCase, runCaseFile, type RunOptions } from './runner.js';
export { checkCase, score, formatScore, type CaseVerdict, type Score, type OpScore } from './compare.js';
export { handlers } from './registry.js';
export { withGrads } from './grad.js';
export { fromJson, toJson, type JsonTensor } from './tensor-json.js';
export type { Case, CaseFile, CaseResult, ResultsFile, OpContext, OpHandler } from './types.js';
