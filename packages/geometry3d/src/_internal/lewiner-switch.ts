/**
 * Private port of scikit-image's Lewiner marching cubes, part 2: "the big
 * switch" choosing each cube's triangulation from its case, configuration
 * and the face/interior ambiguity tests (`the_big_switch` in
 * `skimage/measure/_marching_cubes_lewiner_cy.pyx`, BSD-3-Clause).
 */
import { type Cell, type Lut, testFace, testInternal } from './lewiner-cell.js';

/** Adds the triangles of one cube (`kase` 1–14 with its `config`). */
export function bigSwitch(L: Record<string, Lut>, cell: Cell, kase: number, config: number): void {
  const T = (name: string): Lut => L[name]!;
  const add = (name: string, n: number): void => cell.addTriangles(T(name), config, n);
  const add2 = (name: string, i: number, n: number): void => cell.addTriangles2(T(name), config, i, n);
  const face = (table: string, col: number): boolean => testFace(cell, T(table).get2(config, col));
  const inner = (s: number, sub = 0): boolean => testInternal(cell, L, kase, config, sub, s);
  switch (kase) {
    case 1:
      return add('TILING1', 1);
    case 2:
      return add('TILING2', 2);
    case 3:
      return testFace(cell, T('TEST3').get1(config)) ? add('TILING3_2', 4) : add('TILING3_1', 2);
    case 4:
      return inner(T('TEST4').get1(config)) ? add('TILING4_1', 2) : add('TILING4_2', 6);
    case 5:
      return add('TILING5', 3);
    case 6:
      if (face('TEST6', 0)) return add('TILING6_2', 5);
      return inner(T('TEST6').get2(config, 1)) ? add('TILING6_1_1', 3) : add('TILING6_1_2', 9);
    case 7: {
      const sub = (face('TEST7', 0) ? 1 : 0) + (face('TEST7', 1) ? 2 : 0) + (face('TEST7', 2) ? 4 : 0);
      if (sub === 0) return add('TILING7_1', 3);
      if (sub === 1 || sub === 2) return add2('TILING7_2', sub - 1, 5);
      if (sub === 4) return add2('TILING7_2', 2, 5);
      if (sub === 3 || sub === 5 || sub === 6) return add2('TILING7_3', sub === 3 ? 0 : sub === 5 ? 1 : 2, 9);
      return inner(T('TEST7').get2(config, 3), sub) ? add('TILING7_4_2', 9) : add('TILING7_4_1', 5);
    }
    case 8:
      return add('TILING8', 2);
    case 9:
      return add('TILING9', 4);
    case 10:
    case 12: {
      const n = kase === 10 ? '10' : '12';
      const test = `TEST${n}`;
      if (face(test, 0)) return face(test, 1) ? add(`TILING${n}_1_1_`, 4) : add(`TILING${n}_2`, 8);
      if (face(test, 1)) return add(`TILING${n}_2_`, 8);
      return inner(T(test).get2(config, 2)) ? add(`TILING${n}_1_1`, 4) : add(`TILING${n}_1_2`, 8);
    }
    case 11:
      return add('TILING11', 4);
    case 13:
      return case13(L, cell, config, add, add2, inner);
    case 14:
      return add('TILING14', 4);
    default:
      return;
  }
}

function case13(
  L: Record<string, Lut>,
  cell: Cell,
  config: number,
  add: (name: string, n: number) => void,
  add2: (name: string, i: number, n: number) => void,
  inner: (s: number, sub?: number) => boolean,
): void {
  const test = L['TEST13']!;
  let bits = 0;
  for (let k = 0; k < 6; k++) if (testFace(cell, test.get2(config, k))) bits += 1 << k;
  const sub = L['SUBCONFIG13']!.get1(bits);
  if (sub === 0) add('TILING13_1', 4);
  else if (sub <= 6) add2('TILING13_2', sub - 1, 6);
  else if (sub <= 18) add2('TILING13_3', sub - 7, 10);
  else if (sub <= 22) add2('TILING13_4', sub - 19, 12);
  else if (sub <= 26) {
    const s = sub - 23; // the original sets the subconfig to 0..3 here
    if (inner(test.get2(config, 6), s)) add2('TILING13_5_1', s, 6);
    else add2('TILING13_5_2', s, 10);
  } else if (sub <= 38) add2('TILING13_3_', sub - 27, 10);
  else if (sub <= 44) add2('TILING13_2_', sub - 39, 6);
  else if (sub === 45) add('TILING13_1_', 4);
}
