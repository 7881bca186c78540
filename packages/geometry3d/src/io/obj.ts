import { FoveaError } from '@fovea/core';
import { checkData, type MeshData } from './mesh-data.js';

function text(op: string, source: string | Uint8Array): string {
  if (typeof source === 'string') return source;
  if (source instanceof Uint8Array) return new TextDecoder().decode(source);
  throw new FoveaError({ op, arg: 'source', expected: 'a string or a Uint8Array', got: typeof source });
}

/**
 * Parses a Wavefront OBJ mesh (browser and Node): `v`, `vt`, `vn` and `f`
 * records (`v`, `v/vt`, `v//vn`, `v/vt/vn`, negative relative indices);
 * polygons are fan-triangulated (as PyTorch3D's `load_obj`); groups,
 * materials, lines and points are ignored. Indices become 0-based.
 *
 * @param source the file's text or bytes (UTF-8).
 * @returns a {@link MeshData}.
 * @throws FoveaError naming the line of a malformed record or out-of-range index.
 * @example
 * ```ts
 * import { parseObj } from '@fovea/geometry3d';
 * const m = parseObj('v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3 4\n');
 * m.faces; // Int32Array [0, 1, 2, 0, 2, 3]: the quad as two triangles
 * ```
 * @category IO
 */
export function parseObj(source: string | Uint8Array): MeshData {
  const op = 'parseObj';
  const lines = text(op, source).split(/\r?\n/);
  const verts: number[] = [];
  const normals: number[] = [];
  const uvs: number[] = [];
  const faces: number[] = [];
  const fNormals: number[] = [];
  const fUvs: number[] = [];
  const bad = (line: number, expected: string, got: string): never => {
    throw new FoveaError({ op, arg: `line ${line}`, expected, got: `'${got.length > 60 ? got.slice(0, 60) + '…' : got}'` });
  };
  for (let ln = 0; ln < lines.length; ln++) {
    const raw = lines[ln]!;
    const s = raw.replace(/#.*/, '').trim();
    if (!s) continue;
    const parts = s.split(/\s+/);
    const tag = parts[0]!;
    const nums = (n: number, what: string): number[] => {
      const xs = parts.slice(1, 1 + n).map(Number);
      if (parts.length < 1 + n || xs.some((x) => !Number.isFinite(x))) bad(ln + 1, what, raw);
      return xs;
    };
    if (tag === 'v') verts.push(...nums(3, "'v x y z' with 3 numbers"));
    else if (tag === 'vn') normals.push(...nums(3, "'vn x y z' with 3 numbers"));
    else if (tag === 'vt') uvs.push(...nums(2, "'vt u v' with 2 numbers").slice(0, 2));
    else if (tag === 'f') {
      if (parts.length < 4) bad(ln + 1, "'f' with at least 3 vertices", raw);
      const corners = parts.slice(1).map((c) => {
        const [vi, ti, ni] = c.split('/');
        const resolve = (x: string | undefined, count: number, what: string): number => {
          if (x === undefined || x === '') return -1;
          const k = Number(x);
          if (!Number.isInteger(k) || k === 0) bad(ln + 1, `a 1-based or negative ${what} index`, raw);
          const i = k > 0 ? k - 1 : count + k;
          if (i < 0 || i >= count) bad(ln + 1, `${what} indices within the ${count} defined so far`, raw);
          return i;
        };
        const v = resolve(vi, verts.length / 3, 'vertex');
        if (v < 0) bad(ln + 1, 'a vertex index in every corner', raw);
        return [v, resolve(ti, uvs.length / 2, 'texture'), resolve(ni, normals.length / 3, 'normal')] as const;
      });
      for (let k = 1; k + 1 < corners.length; k++) {
        for (const c of [corners[0]!, corners[k]!, corners[k + 1]!]) {
          faces.push(c[0]);
          fUvs.push(c[1]);
          fNormals.push(c[2]);
        }
      }
    }
  }
  return {
    verts: Float32Array.from(verts),
    faces: Int32Array.from(faces),
    normals: normals.length ? Float32Array.from(normals) : null,
    faceNormals: normals.length ? Int32Array.from(fNormals) : null,
    uvs: uvs.length ? Float32Array.from(uvs) : null,
    faceUvs: uvs.length ? Int32Array.from(fUvs) : null,
  };
}

/**
 * Writes a mesh as Wavefront OBJ text: `v` records (9 significant digits),
 * optional `vn` (per vertex), then `f` records with 1-based indices
 * (`f a//a …` when normals are written).
 *
 * @param data vertices, faces and optional per-vertex normals (`normals` of length `3·V`).
 * @returns the OBJ text.
 * @example
 * ```ts
 * import { formatObj } from '@fovea/geometry3d';
 * formatObj({ verts: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]), faces: new Int32Array([0, 1, 2]) });
 * // "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"
 * ```
 * @category IO
 */
export function formatObj(data: MeshData): string {
  checkData('formatObj', data);
  const V = data.verts.length / 3;
  const withNormals = !!data.normals && data.normals.length === 3 * V;
  const num = (x: number): string => String(Number(x.toPrecision(9)));
  const out: string[] = [];
  for (let i = 0; i < V; i++) out.push(`v ${num(data.verts[3 * i]!)} ${num(data.verts[3 * i + 1]!)} ${num(data.verts[3 * i + 2]!)}`);
  if (withNormals) for (let i = 0; i < V; i++) out.push(`vn ${num(data.normals![3 * i]!)} ${num(data.normals![3 * i + 1]!)} ${num(data.normals![3 * i + 2]!)}`);
  const f = data.faces;
  for (let i = 0; i < f.length; i += 3) {
    const c = [f[i]! + 1, f[i + 1]! + 1, f[i + 2]! + 1];
    out.push(withNormals ? `f ${c.map((k) => `${k}//${k}`).join(' ')}` : `f ${c.join(' ')}`);
  }
  return out.join('\n') + '\n';
}
