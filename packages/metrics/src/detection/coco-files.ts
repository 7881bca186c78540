import { FoveaError } from '@fovea/core';
import type { CocoGroundTruth, CocoResult } from './coco-types.js';

/**
 * Reads a COCO JSON file (Node only): an annotation file
 * ({@link CocoGroundTruth}) or a results list ({@link CocoResult}`[]`). In a
 * browser, `fetch` the file and pass `await res.json()` to
 * {@link cocoEvaluate} instead. The content is validated by the evaluator
 * that receives it.
 *
 * @param path the file's path.
 * @returns the parsed JSON.
 * @throws FoveaError when the file cannot be read or is not JSON.
 * @example
 * ```ts
 * import { cocoEvaluate, readCocoJson, type CocoGroundTruth, type CocoResult } from '@fovea/metrics';
 * const gt = (await readCocoJson('annotations/instances_val2017.json')) as CocoGroundTruth;
 * const dt = (await readCocoJson('detections.json')) as CocoResult[];
 * console.log(cocoEvaluate(gt, dt).stats);
 * ```
 * @category COCO
 */
export async function readCocoJson(path: string): Promise<CocoGroundTruth | CocoResult[]> {
  const op = 'readCocoJson';
  if (typeof path !== 'string' || path === '') throw new FoveaError({ op, arg: 'path', expected: 'a file path', got: String(path) });
  const fs = await import('node:fs/promises');
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new FoveaError({ op, arg: 'path', expected: 'a readable file', got: `'${path}' (${(e as Error).message})` });
  }
  try {
    return JSON.parse(text) as CocoGroundTruth | CocoResult[];
  } catch (e) {
    throw new FoveaError({ op, arg: 'path', expected: 'a JSON file', got: `'${path}' (${(e as Error).message})` });
  }
}
