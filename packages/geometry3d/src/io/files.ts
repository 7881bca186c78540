import { FoveaError } from '@fovea/core';
import type { MeshData } from './mesh-data.js';
import { formatObj, parseObj } from './obj.js';
import { formatPly, parsePly, type FormatPlyOptions } from './ply.js';

async function fs(): Promise<typeof import('node:fs/promises')> {
  return import('node:fs/promises');
}

/**
 * Reads an OBJ file (Node only; in a browser use {@link parseObj} on the
 * fetched text). Errors name the file and line.
 *
 * @param path the file.
 * @returns a {@link MeshData}.
 * @example
 * ```ts
 * import { loadObj, meshesFromData } from '@fovea/geometry3d';
 * // const mesh = meshesFromData(await loadObj('bunny.obj'));
 * ```
 * @category IO
 */
export async function loadObj(path: string): Promise<MeshData> {
  return withPath(path, async () => parseObj(new Uint8Array(await (await fs()).readFile(path))));
}

/**
 * Writes an OBJ file (Node only; see {@link formatObj}).
 *
 * @example
 * ```ts
 * import { icosphere, meshDataFromMeshes, saveObj } from '@fovea/geometry3d';
 * // await saveObj('sphere.obj', await meshDataFromMeshes(icosphere(2)));
 * ```
 * @category IO
 */
export async function saveObj(path: string, data: MeshData): Promise<void> {
  await (await fs()).writeFile(path, formatObj(data));
}

/**
 * Reads a PLY file, ASCII or binary (Node only; in a browser use
 * {@link parsePly} on the fetched bytes). Errors name the file and the
 * element or header line.
 *
 * @example
 * ```ts
 * import { loadPly } from '@fovea/geometry3d';
 * // const { verts, faces } = await loadPly('scan.ply');
 * ```
 * @category IO
 */
export async function loadPly(path: string): Promise<MeshData> {
  return withPath(path, async () => parsePly(new Uint8Array(await (await fs()).readFile(path))));
}

/**
 * Writes a PLY file, binary little-endian by default (Node only; see {@link formatPly}).
 *
 * @example
 * ```ts
 * import { savePly } from '@fovea/geometry3d';
 * // await savePly('mesh.ply', data, { format: 'ascii' });
 * ```
 * @category IO
 */
export async function savePly(path: string, data: MeshData, opts: FormatPlyOptions = {}): Promise<void> {
  await (await fs()).writeFile(path, formatPly(data, opts));
}

async function withPath<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof FoveaError) throw new FoveaError({ op: e.op, arg: `${path}: ${e.arg}`, expected: e.expected, got: e.got });
    throw e;
  }
}
