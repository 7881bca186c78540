import { FoveaError, checkOneOf } from '@fovea/core';
import { checkData, type MeshData } from './mesh-data.js';

type Scalar = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
const TYPES: Record<string, Scalar> = {
  char: 'int8', int8: 'int8', uchar: 'uint8', uint8: 'uint8', short: 'int16', int16: 'int16', ushort: 'uint16', uint16: 'uint16',
  int: 'int32', int32: 'int32', uint: 'uint32', uint32: 'uint32', float: 'float32', float32: 'float32', double: 'float64', float64: 'float64',
};
const SIZE: Record<Scalar, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8 };

interface Property {
  name: string;
  type: Scalar;
  /** Count type of a list property. */
  list?: Scalar;
}
interface Element {
  name: string;
  count: number;
  props: Property[];
}

const OP = 'parsePly';
const fail = (arg: string, expected: string, got: string): never => {
  throw new FoveaError({ op: OP, arg, expected, got });
};

function parseHeader(bytes: Uint8Array): { format: string; elements: Element[]; bodyStart: number } {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  const m = /end_header[ \t]*\r?\n/.exec(head);
  if (!head.startsWith('ply')) fail('header', "a file starting with 'ply'", `'${head.slice(0, 12)}'`);
  if (!m) fail('header', "an 'end_header' line", 'none in the first 64 KiB');
  const lines = head.slice(0, m!.index).split(/\r?\n/);
  let format = '';
  const elements: Element[] = [];
  lines.forEach((line, i) => {
    const t = line.trim().split(/\s+/);
    const where = `header line ${i + 1}`;
    if (t[0] === 'format') {
      format = checkOneOf(OP, where, t[1], ['ascii', 'binary_little_endian', 'binary_big_endian'] as const);
      if (t[2] !== '1.0') fail(where, 'format version 1.0', `'${t[2]}'`);
    } else if (t[0] === 'element') {
      const count = Number(t[2]);
      if (!t[1] || !Number.isInteger(count) || count < 0) fail(where, "'element <name> <count>'", `'${line}'`);
      elements.push({ name: t[1]!, count, props: [] });
    } else if (t[0] === 'property') {
      const el = elements[elements.length - 1];
      if (!el) fail(where, "a 'property' after an 'element'", `'${line}'`);
      if (t[1] === 'list') {
        const ct = TYPES[t[2] ?? ''];
        const it = TYPES[t[3] ?? ''];
        if (!ct || !it || !t[4]) fail(where, "'property list <count type> <item type> <name>'", `'${line}'`);
        el!.props.push({ name: t[4]!, type: it!, list: ct! });
      } else {
        const ty = TYPES[t[1] ?? ''];
        if (!ty || !t[2]) fail(where, "'property <type> <name>' with a PLY scalar type", `'${line}'`);
        el!.props.push({ name: t[2]!, type: ty! });
      }
    } else if (t[0] !== 'ply' && t[0] !== 'comment' && t[0] !== 'obj_info' && t[0] !== '') {
      fail(where, 'a format, element, property, comment or obj_info line', `'${line}'`);
    }
  });
  if (!format) fail('header', "a 'format' line", 'none');
  return { format, elements, bodyStart: m!.index + m![0].length };
}

/** Reads rows of an element: each row is the list of its properties' values (a list property gives an array). */
type Row = (number | number[])[];

function asciiRows(text: string, elements: Element[]): Map<string, Row[]> {
  const tok = text.split(/\s+/).filter((s) => s.length);
  let p = 0;
  const out = new Map<string, Row[]>();
  for (const el of elements) {
    const rows: Row[] = [];
    for (let r = 0; r < el.count; r++) {
      const row: Row = [];
      const next = (): number => {
        if (p >= tok.length) fail(`element '${el.name}' row ${r}`, 'more values', 'the end of the file');
        const x = Number(tok[p++]);
        if (!Number.isFinite(x)) fail(`element '${el.name}' row ${r}`, 'numbers', `'${tok[p - 1]}'`);
        return x;
      };
      for (const pr of el.props) {
        if (pr.list) {
          const n = next();
          if (!Number.isInteger(n) || n < 0) fail(`element '${el.name}' row ${r}`, 'a non-negative list count', String(n));
          row.push(Array.from({ length: n }, next));
        } else row.push(next());
      }
      rows.push(row);
    }
    out.set(el.name, rows);
  }
  return out;
}

function binaryRows(bytes: Uint8Array, start: number, elements: Element[], little: boolean): Map<string, Row[]> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = start;
  const out = new Map<string, Row[]>();
  for (const el of elements) {
    const rows: Row[] = [];
    for (let r = 0; r < el.count; r++) {
      const read = (t: Scalar): number => {
        if (p + SIZE[t] > bytes.length) fail(`element '${el.name}' row ${r}`, `${SIZE[t]} more bytes`, 'the end of the file');
        const at = p;
        p += SIZE[t];
        switch (t) {
          case 'int8': return dv.getInt8(at);
          case 'uint8': return dv.getUint8(at);
          case 'int16': return dv.getInt16(at, little);
          case 'uint16': return dv.getUint16(at, little);
          case 'int32': return dv.getInt32(at, little);
          case 'uint32': return dv.getUint32(at, little);
          case 'float32': return dv.getFloat32(at, little);
          default: return dv.getFloat64(at, little);
        }
      };
      const row: Row = [];
      for (const pr of el.props) {
        if (pr.list) {
          const n = read(pr.list);
          if (!Number.isInteger(n) || n < 0) fail(`element '${el.name}' row ${r}`, 'a non-negative list count', String(n));
          row.push(Array.from({ length: n }, () => read(pr.type)));
        } else row.push(read(pr.type));
      }
      rows.push(row);
    }
    out.set(el.name, rows);
  }
  return out;
}

/**
 * Parses a PLY mesh (ASCII, binary little-endian or big-endian; browser and
 * Node): the `vertex` element's `x y z` (and `nx ny nz`, `red green blue`
 * when present) and the `face` element's `vertex_indices` (or
 * `vertex_index`) lists, fan-triangulated. Other elements and properties are
 * read past and ignored. A point cloud (no faces) gives empty `faces`.
 *
 * @param source the file's bytes (or the text of an ASCII file).
 * @returns a {@link MeshData}.
 * @throws FoveaError naming the header line, or the element and row, that is malformed.
 * @example
 * ```ts
 * import { parsePly } from '@fovea/geometry3d';
 * const ply = 'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n' +
 *   'element face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n';
 * parsePly(ply).faces; // Int32Array [0, 1, 2]
 * ```
 * @category IO
 */
export function parsePly(source: Uint8Array | string): MeshData {
  const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  if (!(bytes instanceof Uint8Array)) fail('source', 'a Uint8Array or a string', typeof source);
  const { format, elements, bodyStart } = parseHeader(bytes);
  const rows =
    format === 'ascii'
      ? asciiRows(new TextDecoder('latin1').decode(bytes.subarray(bodyStart)), elements)
      : binaryRows(bytes, bodyStart, elements, format === 'binary_little_endian');
  const vEl = elements.find((e) => e.name === 'vertex');
  if (!vEl) fail('header', "a 'vertex' element", `elements ${elements.map((e) => `'${e.name}'`).join(', ') || 'none'}`);
  const col = (name: string): number => vEl!.props.findIndex((p) => p.name === name && !p.list);
  const [xi, yi, zi] = ['x', 'y', 'z'].map(col) as [number, number, number];
  if (xi < 0 || yi < 0 || zi < 0) fail("element 'vertex'", 'properties x, y and z', vEl!.props.map((p) => p.name).join(', '));
  const vRows = rows.get('vertex')!;
  const V = vRows.length;
  const verts = new Float32Array(3 * V);
  vRows.forEach((r, i) => {
    verts[3 * i] = r[xi] as number;
    verts[3 * i + 1] = r[yi] as number;
    verts[3 * i + 2] = r[zi] as number;
  });
  const pick = (names: string[], scale: (p: Property) => number): Float32Array | null => {
    const idx = names.map(col);
    if (idx.some((k) => k < 0)) return null;
    const out = new Float32Array(3 * V);
    vRows.forEach((r, i) => idx.forEach((k, d) => (out[3 * i + d] = (r[k] as number) * scale(vEl!.props[k]!))));
    return out;
  };
  const normals = pick(['nx', 'ny', 'nz'], () => 1);
  const colors = pick(['red', 'green', 'blue'], (p) => (p.type === 'uint8' ? 1 / 255 : p.type === 'uint16' ? 1 / 65535 : 1));
  const faces: number[] = [];
  const fEl = elements.find((e) => e.name === 'face');
  if (fEl) {
    const li = fEl.props.findIndex((p) => !!p.list && (p.name === 'vertex_indices' || p.name === 'vertex_index'));
    if (li < 0) fail("element 'face'", "a list property 'vertex_indices' or 'vertex_index'", fEl.props.map((p) => p.name).join(', ') || 'none');
    rows.get('face')!.forEach((r, row) => {
      const poly = r[li] as number[];
      if (poly.length < 3) fail(`element 'face' row ${row}`, 'at least 3 vertex indices', `${poly.length}`);
      poly.forEach((v) => {
        if (!Number.isInteger(v) || v < 0 || v >= V) fail(`element 'face' row ${row}`, `vertex indices in [0, ${V})`, String(v));
      });
      for (let k = 1; k + 1 < poly.length; k++) faces.push(poly[0]!, poly[k]!, poly[k + 1]!);
    });
  }
  return { verts, faces: Int32Array.from(faces), normals, colors };
}

/** Options for {@link formatPly}. @category IO */
export interface FormatPlyOptions {
  /** `'binary_little_endian'` (default) or `'ascii'`. */
  format?: 'ascii' | 'binary_little_endian';
}

/**
 * Writes a mesh as PLY bytes: a `vertex` element with float `x y z` (and
 * `nx ny nz` when `data.normals` has one per vertex) and a `face` element with
 * `property list uchar int vertex_indices`.
 *
 * @param data vertices, faces, optional per-vertex normals.
 * @param opts format.
 * @returns the file's bytes.
 * @example
 * ```ts
 * import { formatPly, parsePly } from '@fovea/geometry3d';
 * const bytes = formatPly({ verts: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]), faces: new Int32Array([0, 1, 2]) });
 * parsePly(bytes).verts.length; // 9
 * ```
 * @category IO
 */
export function formatPly(data: MeshData, opts: FormatPlyOptions = {}): Uint8Array {
  checkData('formatPly', data);
  const format = checkOneOf('formatPly', 'options.format', opts.format ?? 'binary_little_endian', ['ascii', 'binary_little_endian'] as const);
  const V = data.verts.length / 3;
  const F = data.faces.length / 3;
  const withNormals = !!data.normals && data.normals.length === 3 * V;
  const header =
    `ply\nformat ${format} 1.0\ncomment written by @fovea/geometry3d\nelement vertex ${V}\n` +
    'property float x\nproperty float y\nproperty float z\n' +
    (withNormals ? 'property float nx\nproperty float ny\nproperty float nz\n' : '') +
    `element face ${F}\nproperty list uchar int vertex_indices\nend_header\n`;
  const enc = new TextEncoder();
  if (format === 'ascii') {
    const lines: string[] = [];
    const num = (x: number): string => String(Number(x.toPrecision(9)));
    for (let i = 0; i < V; i++) {
      const row = [data.verts[3 * i]!, data.verts[3 * i + 1]!, data.verts[3 * i + 2]!];
      if (withNormals) row.push(data.normals![3 * i]!, data.normals![3 * i + 1]!, data.normals![3 * i + 2]!);
      lines.push(row.map(num).join(' '));
    }
    for (let f = 0; f < F; f++) lines.push(`3 ${data.faces[3 * f]} ${data.faces[3 * f + 1]} ${data.faces[3 * f + 2]}`);
    return enc.encode(header + lines.join('\n') + (lines.length ? '\n' : ''));
  }
  const head = enc.encode(header);
  const per = withNormals ? 24 : 12;
  const out = new Uint8Array(head.length + V * per + F * 13);
  out.set(head);
  const dv = new DataView(out.buffer);
  let p = head.length;
  for (let i = 0; i < V; i++) {
    for (let k = 0; k < 3; k++, p += 4) dv.setFloat32(p, data.verts[3 * i + k]!, true);
    if (withNormals) for (let k = 0; k < 3; k++, p += 4) dv.setFloat32(p, data.normals![3 * i + k]!, true);
  }
  for (let f = 0; f < F; f++) {
    dv.setUint8(p++, 3);
    for (let k = 0; k < 3; k++, p += 4) dv.setInt32(p, data.faces[3 * f + k]!, true);
  }
  return out;
}
