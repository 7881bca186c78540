/**
 * Private port of scikit-image's Lewiner marching cubes, part 1: tables, the cell and the ambiguity tests
 * (`skimage/measure/_marching_cubes_lewiner_cy.pyx`, BSD-3-Clause, itself a
 * port of Lewiner et al.'s C++ implementation): the same cell walk, vertex
 * sharing, interpolation, face/interior ambiguity tests and tables, so the
 * triangulation equals skimage's `marching_cubes(volume, level)`.
 * Coordinates here are (x, y, z) = (axis 2, axis 1, axis 0); the public op
 * flips them to array order as skimage does.
 */
import { LUTS } from './marching-cubes-luts.js';

/** `np.spacing(1.0)`. */
const FLT_EPSILON = 2.220446049250313e-16;

export class Lut {
  readonly values: Int8Array;
  readonly L1: number;
  readonly L2: number;
  constructor(values: Int8Array, shape: readonly number[]) {
    this.values = values;
    this.L1 = shape[1] ?? 1;
    this.L2 = shape[2] ?? 1;
  }
  get1(i0: number): number {
    return this.values[i0]!;
  }
  get2(i0: number, i1: number): number {
    return this.values[i0 * this.L1 + i1]!;
  }
  get3(i0: number, i1: number, i2: number): number {
    return this.values[i0 * this.L1 * this.L2 + i1 * this.L2 + i2]!;
  }
}

function decode(b64: string): Int8Array {
  const bin = atob(b64);
  const out = new Int8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = (bin.charCodeAt(i) << 24) >> 24;
  return out;
}

let tables: Record<string, Lut> | null = null;

export function luts(): Record<string, Lut> {
  if (tables) return tables;
  const t: Record<string, Lut> = {};
  for (const [name, { shape, data }] of Object.entries(LUTS)) t[name] = new Lut(decode(data), shape);
  // corners of each cube edge, relative positions (skimage's EDGETORELATIVEPOS{X,Y,Z})
  t['EDGESRELX'] = new Lut(Int8Array.from([0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0]), [12, 2]);
  t['EDGESRELY'] = new Lut(Int8Array.from([0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1]), [12, 2]);
  t['EDGESRELZ'] = new Lut(Int8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1]), [12, 2]);
  tables = t;
  return t;
}

/** What {@link lewinerMarchingCubes} returns, in skimage's internal (x, y, z) order. */
export interface RawMesh {
  /** `3·V` vertex coordinates (x, y, z), float32 as skimage stores them. */
  vertices: Float32Array;
  /** `3·V` accumulated gradients (normalised by the caller). */
  normals: Float64Array;
  /** `3·F` vertex indices, right-handed (skimage flips them for `gradient_direction='descent'`). */
  faces: Int32Array;
}

class Growable<T extends Float32Array | Float64Array | Int32Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/** One cube of the walk, with skimage's state (corner values minus the level, face layers, outputs). */
export class Cell {
  x = 0;
  y = 0;
  z = 0;
  step = 1;
  v = new Float64Array(8); // v0..v7 (skimage's numbering)
  vv = new Float64Array(8);
  vg = new Float64Array(24);
  index = 0;
  v12 = [0, 0, 0];
  v12g = [0, 0, 0];
  v12Calculated = false;
  faceLayer1: Int32Array;
  faceLayer2: Int32Array;
  verts = new Growable((n) => new Float32Array(n));
  grads = new Growable((n) => new Float64Array(n));
  faces = new Growable((n) => new Int32Array(n));

  constructor(
    readonly L: Record<string, Lut>,
    readonly nx: number,
    readonly ny: number,
  ) {
    this.faceLayer1 = new Int32Array(nx * ny * 4).fill(-1);
    this.faceLayer2 = new Int32Array(nx * ny * 4).fill(-1);
  }

  newZValue(): void {
    const t = this.faceLayer1;
    this.faceLayer1 = this.faceLayer2;
    this.faceLayer2 = t;
    this.faceLayer2.fill(-1);
  }

  setCube(iso: number, x: number, y: number, z: number, step: number, c: number[]): void {
    this.x = x;
    this.y = y;
    this.z = z;
    this.step = step;
    let index = 0;
    for (let i = 0; i < 8; i++) {
      this.v[i] = c[i]! - iso;
      if (this.v[i]! > 0) index += 1 << i;
    }
    this.index = index;
    this.v12Calculated = false;
  }

  addTriangles(lut: Lut, lutIndex: number, nt: number): void {
    this.prepare();
    for (let i = 0; i < nt; i++) for (let j = 0; j < 3; j++) this.addFaceFromEdge(lut.get2(lutIndex, i * 3 + j));
  }

  addTriangles2(lut: Lut, lutIndex: number, lutIndex2: number, nt: number): void {
    this.prepare();
    for (let i = 0; i < nt; i++) for (let j = 0; j < 3; j++) this.addFaceFromEdge(lut.get3(lutIndex, lutIndex2, i * 3 + j));
  }

  private addVertex(x: number, y: number, z: number): number {
    this.verts.push(x);
    this.verts.push(y);
    this.verts.push(z);
    this.grads.push(0);
    this.grads.push(0);
    this.grads.push(0);
    return this.verts.length / 3 - 1;
  }

  private addGradient(vi: number, gx: number, gy: number, gz: number): void {
    // skimage accumulates float32 gradients
    const g = this.grads.data;
    g[3 * vi] = Math.fround(g[3 * vi]! + Math.fround(gx));
    g[3 * vi + 1] = Math.fround(g[3 * vi + 1]! + Math.fround(gy));
    g[3 * vi + 2] = Math.fround(g[3 * vi + 2]! + Math.fround(gz));
  }

  private addGradientFromIndex(vi: number, i: number, s: number): void {
    this.addGradient(vi, this.vg[i * 3]! * s, this.vg[i * 3 + 1]! * s, this.vg[i * 3 + 2]! * s);
  }

  private addFaceFromEdge(vi: number): void {
    const [layer, slot] = this.indexInFaceLayer(vi);
    let iv = layer[slot]!;
    if (vi === 12) {
      if (!this.v12Calculated) this.calculateCenterVertex();
      if (iv < 0) {
        iv = this.addVertex(this.v12[0]!, this.v12[1]!, this.v12[2]!);
        layer[slot] = iv;
      }
      this.faces.push(iv);
      this.addGradient(iv, this.v12g[0]!, this.v12g[1]!, this.v12g[2]!);
      return;
    }
    const { EDGESRELX: X, EDGESRELY: Y, EDGESRELZ: Z } = this.L as Record<string, Lut>;
    const dx1 = X!.get2(vi, 0);
    const dx2 = X!.get2(vi, 1);
    const dy1 = Y!.get2(vi, 0);
    const dy2 = Y!.get2(vi, 1);
    const dz1 = Z!.get2(vi, 0);
    const dz2 = Z!.get2(vi, 1);
    const i1 = dz1 * 4 + dy1 * 2 + dx1;
    const i2 = dz2 * 4 + dy2 * 2 + dx2;
    const t1 = 1 / (FLT_EPSILON + Math.abs(this.vv[i1]!));
    const t2 = 1 / (FLT_EPSILON + Math.abs(this.vv[i2]!));
    if (iv < 0) {
      const ff = t1 + t2;
      const fx = dx1 * t1 + dx2 * t2;
      const fy = dy1 * t1 + dy2 * t2;
      const fz = dz1 * t1 + dz2 * t2;
      iv = this.addVertex(this.x + (this.step * fx) / ff, this.y + (this.step * fy) / ff, this.z + (this.step * fz) / ff);
      layer[slot] = iv;
    }
    this.faces.push(iv);
    this.addGradientFromIndex(iv, i1, t1);
    this.addGradientFromIndex(iv, i2, t2);
  }

  /** skimage's `get_index_in_facelayer`: the face layer and slot that stores the vertex on edge `vi`. */
  private indexInFaceLayer(vi: number): [Int32Array, number] {
    let i = this.nx * this.y + this.x;
    let j = 0;
    let layer: Int32Array;
    if (vi < 8) {
      let e = vi;
      if (e < 4) layer = this.faceLayer1;
      else {
        e -= 4;
        layer = this.faceLayer2;
      }
      if (e === 1) {
        i += this.step;
        j = 1;
      } else if (e === 2) i += this.nx * this.step;
      else if (e === 3) j = 1;
    } else if (vi < 12) {
      layer = this.faceLayer1;
      j = 2;
      if (vi === 9) i += this.step;
      else if (vi === 10) i += this.nx * this.step + this.step;
      else if (vi === 11) i += this.nx * this.step;
    } else {
      layer = this.faceLayer1;
      j = 3;
    }
    return [layer, 4 * i + j];
  }

  private prepare(): void {
    const v = this.v;
    const vv = this.vv;
    vv[0] = v[0]!;
    vv[1] = v[1]!;
    vv[2] = v[3]!;
    vv[3] = v[2]!;
    vv[4] = v[4]!;
    vv[5] = v[5]!;
    vv[6] = v[7]!;
    vv[7] = v[6]!;
    const [v0, v1, v2, v3, v4, v5, v6, v7] = v as unknown as number[];
    const g = [
      v0! - v1!, v0! - v3!, v0! - v4!,
      v0! - v1!, v1! - v2!, v1! - v5!,
      v3! - v2!, v1! - v2!, v2! - v6!,
      v3! - v2!, v0! - v3!, v3! - v7!,
      v4! - v5!, v4! - v7!, v0! - v4!,
      v4! - v5!, v5! - v6!, v1! - v5!,
      v7! - v6!, v5! - v6!, v2! - v6!,
      v7! - v6!, v4! - v7!, v3! - v7!,
    ];
    this.vg.set(g);
  }

  private calculateCenterVertex(): void {
    const s = Array.from(this.v, (x) => 1 / (FLT_EPSILON + Math.abs(x)));
    const pos = [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]];
    let fx = 0;
    let fy = 0;
    let fz = 0;
    let ff = 0;
    for (let i = 0; i < 8; i++) {
      fx += pos[i]![0]! * s[i]!;
      fy += pos[i]![1]! * s[i]!;
      fz += pos[i]![2]! * s[i]!;
      ff += s[i]!;
    }
    this.v12 = [this.x + (this.step * fx) / ff, this.y + (this.step * fy) / ff, this.z + (this.step * fz) / ff];
    for (let d = 0; d < 3; d++) {
      let acc = 0;
      for (let i = 0; i < 8; i++) acc += s[i]! * this.vg[i * 3 + d]!;
      this.v12g[d] = acc;
    }
    this.v12Calculated = true;
  }
}

/** skimage's `test_face`: whether the face (±1..6) of an ambiguous case contains part of the surface. */
export function testFace(c: Cell, face: number): boolean {
  const v = c.v;
  const corners = [[0, 4, 5, 1], [1, 5, 6, 2], [2, 6, 7, 3], [3, 7, 4, 0], [0, 3, 2, 1], [4, 7, 6, 5]][Math.abs(face) - 1]!;
  const [A, B, C, D] = corners.map((i) => v[i]!) as [number, number, number, number];
  const acbd = A * C - B * D;
  if (acbd > -FLT_EPSILON && acbd < FLT_EPSILON) return face >= 0;
  return face * A * acbd >= 0;
}

// per reference edge: [vertex at t, [B0, B1], [C0, C1], [D0, D1], t's two corners]
const EDGE_TEST: [number, number, number, number, number, number, number, number][] = [
  [0, 1, 3, 2, 7, 6, 4, 5],
  [1, 2, 0, 3, 4, 7, 5, 6],
  [2, 3, 1, 0, 5, 4, 6, 7],
  [3, 0, 2, 1, 6, 5, 7, 4],
  [4, 5, 7, 6, 3, 2, 0, 1],
  [5, 6, 4, 7, 0, 3, 1, 2],
  [6, 7, 5, 4, 1, 0, 2, 3],
  [7, 4, 6, 5, 2, 1, 3, 0],
  [0, 4, 3, 7, 2, 6, 1, 5],
  [1, 5, 0, 4, 3, 7, 2, 6],
  [2, 6, 1, 5, 0, 4, 3, 7],
  [3, 7, 2, 6, 1, 5, 0, 4],
];

/** skimage's `test_internal`: whether the cube's interior contains part of the surface. */
export function testInternal(c: Cell, L: Record<string, Lut>, kase: number, config: number, subconfig: number, s: number): boolean {
  const v = c.v;
  let At = 0;
  let Bt = 0;
  let Ct = 0;
  let Dt = 0;
  if (kase === 4 || kase === 10) {
    const a = (v[4]! - v[0]!) * (v[6]! - v[2]!) - (v[7]! - v[3]!) * (v[5]! - v[1]!);
    const b = v[2]! * (v[4]! - v[0]!) + v[0]! * (v[6]! - v[2]!) - v[1]! * (v[7]! - v[3]!) - v[3]! * (v[5]! - v[1]!);
    const t = -b / (2 * a + FLT_EPSILON);
    if (t < 0 || t > 1) return s > 0;
    At = v[0]! + (v[4]! - v[0]!) * t;
    Bt = v[3]! + (v[7]! - v[3]!) * t;
    Ct = v[2]! + (v[6]! - v[2]!) * t;
    Dt = v[1]! + (v[5]! - v[1]!) * t;
  } else {
    let edge = -1;
    if (kase === 6) edge = L['TEST6']!.get2(config, 2);
    else if (kase === 7) edge = L['TEST7']!.get2(config, 4);
    else if (kase === 12) edge = L['TEST12']!.get2(config, 3);
    else if (kase === 13) edge = L['TILING13_5_1']!.get3(config, subconfig, 0);
    const e = EDGE_TEST[edge];
    if (e) {
      const [p, q, b0, b1, c0, c1, d0, d1] = e;
      const t = v[p]! / (v[p]! - v[q]! + FLT_EPSILON);
      Bt = v[b0]! + (v[b1]! - v[b0]!) * t;
      Ct = v[c0]! + (v[c1]! - v[c0]!) * t;
      Dt = v[d0]! + (v[d1]! - v[d0]!) * t;
    }
  }
  let test = 0;
  if (At >= 0) test += 1;
  if (Bt >= 0) test += 2;
  if (Ct >= 0) test += 4;
  if (Dt >= 0) test += 8;
  switch (test) {
    case 5:
      return At * Ct - Bt * Dt < FLT_EPSILON ? s > 0 : false;
    case 10:
      return At * Ct - Bt * Dt >= FLT_EPSILON ? s > 0 : false;
    case 7:
    case 11:
    case 13:
    case 14:
    case 15:
      return s < 0;
    default:
      return s > 0;
  }
}

