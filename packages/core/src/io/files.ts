import type * as tf from '@tensorflow/tfjs-core';
import type { Module, LoadStateDictOptions, LoadStateDictResult } from '../nn/module.js';
import { decodeSafetensors, encodeSafetensors, type Safetensors } from './safetensors.js';

async function fs(): Promise<typeof import('node:fs/promises')> {
  return import('node:fs/promises');
}

/**
 * Writes tensors to a safetensors file (Node only; in a browser use
 * {@link encodeSafetensors} and save the bytes yourself).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { saveSafetensors } from '@fovea/core';
 * await saveSafetensors('/tmp/w.safetensors', { w: tf.ones([2]) });
 * ```
 * @category IO
 */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, tf.Tensor>,
  metadata: Record<string, string> = {},
): Promise<void> {
  const bytes = await encodeSafetensors(tensors, metadata);
  const f = await fs();
  // write to a temporary file and rename, so a crash never leaves a half-written file
  const tmp = `${path}.tmp-${Date.now()}`;
  await f.writeFile(tmp, bytes);
  await f.rename(tmp, path);
}

/**
 * Reads a safetensors file (Node only); see {@link decodeSafetensors}.
 *
 * @example
 * ```ts
 * import { loadSafetensors } from '@fovea/core';
 * const { tensors } = await loadSafetensors('/tmp/w.safetensors');
 * ```
 * @category IO
 */
export async function loadSafetensors(path: string): Promise<Safetensors> {
  const bytes = await (await fs()).readFile(path);
  return decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { source: path });
}

/**
 * Saves a module's `stateDict()` (PyTorch keys and layouts) as safetensors
 * (Node only): `safetensors.torch.load_file` then `model.load_state_dict`
 * reads it in PyTorch.
 *
 * @example
 * ```ts
 * import { saveModule } from '@fovea/core';
 * // await saveModule(model, 'model.safetensors');
 * ```
 * @category IO
 */
export async function saveModule(module: Module, path: string, metadata: Record<string, string> = {}): Promise<void> {
  const sd = module.stateDict();
  try {
    await saveSafetensors(path, sd, { format: 'pt', ...metadata });
  } finally {
    Object.values(sd).forEach((t) => t.dispose());
  }
}

/**
 * Loads a safetensors state dict (ours or PyTorch's) into a module (Node only).
 *
 * @example
 * ```ts
 * import { loadModule } from '@fovea/core';
 * // await loadModule(model, 'resnet_block.safetensors');
 * ```
 * @category IO
 */
export async function loadModule(
  module: Module,
  path: string,
  opts: LoadStateDictOptions = {},
): Promise<LoadStateDictResult> {
  const { tensors } = await loadSafetensors(path);
  try {
    return module.loadStateDict(tensors, opts);
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
}
