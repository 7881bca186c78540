import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectClose } from '@fovea/test-utils';
import { describe, expect, it } from 'vitest';
import { icosphere } from '../mesh/icosphere.js';
import { loadObj, loadPly, saveObj, savePly } from './files.js';
import { meshDataFromMeshes, meshesFromData } from './mesh-data.js';
import { formatObj, parseObj } from './obj.js';
import { formatPly, parsePly } from './ply.js';

const OBJ = `# a quad and a triangle
o thing
v 0 0 0
v 1 0 0
v 1 1 0
v 0 1 0 1.0
vt 0 0
vt 1 0
vt 1 1
vn 0 0 1
g part
usemtl red
f 1/1/1 2/2/1 3/3/1 4//1
f -4 -3 -1
`;

describe('OBJ', () => {
  it('parses vertices, fan-triangulated polygons, uvs, normals and negative indices', () => {
    const m = parseObj(OBJ);
    expect(Array.from(m.verts)).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]);
    expect(Array.from(m.faces)).toEqual([0, 1, 2, 0, 2, 3, 0, 1, 3]);
    expect(Array.from(m.faceUvs!)).toEqual([0, 1, 2, 0, 2, -1, -1, -1, -1]);
    expect(Array.from(m.faceNormals!)).toEqual([0, 0, 0, 0, 0, 0, -1, -1, -1]);
    expect(Array.from(m.normals!)).toEqual([0, 0, 1]);
  });

  it('round-trips through formatObj and a file', async () => {
    const s = icosphere(1);
    const data = await meshDataFromMeshes(s, 0, { withNormals: true });
    const back = parseObj(formatObj(data));
    expectClose(back.verts, data.verts, { atol: 1e-7 });
    expect(Array.from(back.faces)).toEqual(Array.from(data.faces));
    const dir = mkdtempSync(join(tmpdir(), 'fovea-g3-'));
    try {
      await saveObj(join(dir, 's.obj'), data);
      const file = await loadObj(join(dir, 's.obj'));
      expect(file.faces.length).toBe(240);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const m = meshesFromData(back);
    expect(m.numVertsPerMesh()).toEqual([42]);
    m.dispose();
    s.dispose();
  });

  it('names the line of a malformed record', async () => {
    expect(() => parseObj('v 0 0 0\nv 1 0 zero\n')).toThrow(/parseObj: line 2 must be 'v x y z' with 3 numbers, got 'v 1 0 zero'/);
    expect(() => parseObj('v 0 0 0\nf 1 2 3\n')).toThrow(/parseObj: line 2 must be vertex indices within the 1 defined so far/);
    expect(() => parseObj('v 0 0 0\nf 1 1\n')).toThrow(/line 2 must be 'f' with at least 3 vertices/);
    const dir = mkdtempSync(join(tmpdir(), 'fovea-g3-'));
    try {
      await saveObj(join(dir, 'ok.obj'), { verts: new Float32Array(9), faces: new Int32Array([0, 1, 2]) });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'bad.obj'), 'v 0 0\n');
      await expect(loadObj(join(dir, 'bad.obj'))).rejects.toThrow(/bad\.obj: line 1 must be/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PLY', () => {
  const header = (format: string, extra = ''): string =>
    `ply\nformat ${format} 1.0\ncomment test\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\n` +
    `property uchar red\nproperty uchar green\nproperty uchar blue\n${extra}element face 1\nproperty list uchar int vertex_indices\n` +
    'element edge 1\nproperty int vertex1\nproperty int vertex2\nend_header\n';

  it('reads ASCII with colours, polygons and extra elements', () => {
    const text = header('ascii') + '0 0 0 255 0 0\n1 0 0 0 255 0\n1 1 0 0 0 255\n0 1 0 255 255 255\n4 0 1 2 3\n0 1\n';
    const m = parsePly(text);
    expect(Array.from(m.faces)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(Array.from(m.colors!.slice(0, 6))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(m.normals).toBeNull();
  });

  it('reads binary little- and big-endian files', () => {
    for (const little of [true, false]) {
      const head = new TextEncoder().encode(header(little ? 'binary_little_endian' : 'binary_big_endian'));
      const body = new DataView(new ArrayBuffer(4 * 15 + 1 + 16 + 8));
      let p = 0;
      const verts = [0, 0, 0, 2, 0, 0, 2, 2, 0, 0, 2, 0];
      for (let i = 0; i < 4; i++) {
        for (let k = 0; k < 3; k++, p += 4) body.setFloat32(p, verts[3 * i + k]!, little);
        for (let k = 0; k < 3; k++) body.setUint8(p++, 7);
      }
      body.setUint8(p++, 4);
      for (const v of [3, 2, 1, 0]) {
        body.setInt32(p, v, little);
        p += 4;
      }
      body.setInt32(p, 0, little);
      body.setInt32(p + 4, 1, little);
      const bytes = new Uint8Array(head.length + body.byteLength);
      bytes.set(head);
      bytes.set(new Uint8Array(body.buffer), head.length);
      const m = parsePly(bytes);
      expect(Array.from(m.verts)).toEqual(verts);
      expect(Array.from(m.faces)).toEqual([3, 2, 1, 3, 1, 0]);
    }
  });

  it('round-trips binary and ASCII through formatPly and files', async () => {
    const s = icosphere(1);
    const data = await meshDataFromMeshes(s, 0, { withNormals: true });
    for (const format of ['ascii', 'binary_little_endian'] as const) {
      const back = parsePly(formatPly(data, { format }));
      expectClose(back.verts, data.verts, { atol: 1e-7 });
      expectClose(back.normals!, data.normals!, { atol: 1e-7 });
      expect(Array.from(back.faces)).toEqual(Array.from(data.faces));
    }
    const dir = mkdtempSync(join(tmpdir(), 'fovea-g3-'));
    try {
      await savePly(join(dir, 's.ply'), data);
      expect((await loadPly(join(dir, 's.ply'))).faces.length).toBe(240);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    s.dispose();
  });

  it('names the element and row (or header line) that is malformed', () => {
    expect(() => parsePly('plx\n')).toThrow(/parsePly: header must be a file starting with 'ply'/);
    expect(() => parsePly('ply\nformat ascii 1.0\nelement vertex 1\nproperty float32x x\nend_header\n')).toThrow(/parsePly: header line 4 must be 'property <type> <name>'/);
    const short = header('ascii') + '0 0 0 1 1 1\n';
    expect(() => parsePly(short)).toThrow(/parsePly: element 'vertex' row 1 must be more values, got the end of the file/);
    const bad = header('ascii') + '0 0 0 1 1 1\n1 0 0 1 1 1\n1 1 0 1 1 1\n0 1 0 1 1 1\n3 0 1 9\n0 1\n';
    expect(() => parsePly(bad)).toThrow(/parsePly: element 'face' row 0 must be vertex indices in \[0, 4\), got 9/);
    const bin = new TextEncoder().encode(header('binary_little_endian'));
    expect(() => parsePly(bin)).toThrow(/element 'vertex' row 0 must be 4 more bytes/);
  });

  it('makes a point cloud from a vertex-only file', () => {
    const m = parsePly('ply\nformat ascii 1.0\nelement vertex 2\nproperty double x\nproperty double y\nproperty double z\nend_header\n1 2 3\n4 5 6\n');
    expect(Array.from(m.verts)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.faces.length).toBe(0);
  });
});

describe('meshesFromData', () => {
  it('checks the arrays', () => {
    expect(() => meshesFromData({ verts: new Float32Array(9), faces: new Int32Array([0, 1, 3]) })).toThrow(/meshesFromData: data.faces must be indices in \[0, 3\), got 3 at face 0/);
  });
});
