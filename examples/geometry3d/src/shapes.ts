/**
 * Procedural point clouds for the PointNet example: surface samples of five
 * shape classes (sphere, cube, torus, cylinder, cone), area-uniform, with a
 * random anisotropic scale, a random rotation and Gaussian noise, then centred
 * and scaled into the unit sphere (PointNet's preprocessing). All randomness
 * comes from one core Generator.
 */
import type { Generator } from '@fovea/core';

export const CLASSES = ['sphere', 'cube', 'torus', 'cylinder', 'cone'] as const;
export type ShapeClass = (typeof CLASSES)[number];

type Vec = [number, number, number];

/** One point on the surface of `kind` (unit scale), uniform by area. */
function surfacePoint(kind: ShapeClass, g: Generator): Vec {
  const u = (): number => g.random();
  switch (kind) {
    case 'sphere': {
      const v: Vec = [g.normal(), g.normal(), g.normal()];
      const n = Math.hypot(...v);
      return v.map((x) => x / n) as Vec;
    }
    case 'cube': {
      const axis = Math.floor(u() * 3);
      const side = u() < 0.5 ? -1 : 1;
      const p: Vec = [2 * u() - 1, 2 * u() - 1, 2 * u() - 1];
      p[axis] = side;
      return p.map((x) => 0.7 * x) as Vec;
    }
    case 'torus': {
      const [R, r] = [0.7, 0.3];
      for (;;) {
        // area element ∝ R + r cos φ: rejection sampling on φ
        const th = 2 * Math.PI * u();
        const ph = 2 * Math.PI * u();
        if (u() * (R + r) > R + r * Math.cos(ph)) continue;
        const w = R + r * Math.cos(ph);
        return [w * Math.cos(th), r * Math.sin(ph), w * Math.sin(th)];
      }
    }
    case 'cylinder': {
      const [r, h] = [0.55, 1.6];
      const side = 2 * Math.PI * r * h;
      const cap = Math.PI * r * r;
      const t = u() * (side + 2 * cap);
      const th = 2 * Math.PI * u();
      if (t < side) return [r * Math.cos(th), h * (u() - 0.5), r * Math.sin(th)];
      const rr = r * Math.sqrt(u());
      return [rr * Math.cos(th), t < side + cap ? h / 2 : -h / 2, rr * Math.sin(th)];
    }
    case 'cone': {
      const [r, h] = [0.7, 1.4];
      const slant = Math.hypot(r, h);
      const lateral = Math.PI * r * slant;
      const base = Math.PI * r * r;
      const th = 2 * Math.PI * u();
      if (u() * (lateral + base) < lateral) {
        const s = Math.sqrt(u()); // uniform on the lateral surface: radius ∝ √u
        return [s * r * Math.cos(th), h / 2 - s * h, s * r * Math.sin(th)];
      }
      const rr = r * Math.sqrt(u());
      return [rr * Math.cos(th), -h / 2, rr * Math.sin(th)];
    }
  }
}

/** A uniformly random rotation matrix (from a random unit quaternion). */
function randomRotation(g: Generator): number[][] {
  let q = [g.normal(), g.normal(), g.normal(), g.normal()];
  const n = Math.hypot(...q);
  q = q.map((x) => x / n);
  const [w, x, y, z] = q as [number, number, number, number];
  return [
    [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
    [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
    [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
  ];
}

/** `n` points of one random instance of `kind`: `3·n` coordinates. */
export function sampleCloud(kind: ShapeClass, n: number, g: Generator, noise = 0.02): Float32Array {
  const scale = [0, 1, 2].map(() => 0.8 + 0.4 * g.random()); // anisotropic size jitter ±20 %
  const R = randomRotation(g);
  const pts: Vec[] = [];
  for (let i = 0; i < n; i++) {
    const p = surfacePoint(kind, g).map((x, k) => x * scale[k]! + noise * g.normal());
    pts.push([0, 1, 2].map((r) => R[r]![0]! * p[0]! + R[r]![1]! * p[1]! + R[r]![2]! * p[2]!) as Vec);
  }
  // centre and scale into the unit sphere
  const c = [0, 1, 2].map((k) => pts.reduce((s, p) => s + p[k]!, 0) / n);
  const rmax = Math.max(...pts.map((p) => Math.hypot(p[0] - c[0]!, p[1] - c[1]!, p[2] - c[2]!)));
  const out = new Float32Array(3 * n);
  pts.forEach((p, i) => out.set([(p[0] - c[0]!) / rmax, (p[1] - c[1]!) / rmax, (p[2] - c[2]!) / rmax], 3 * i));
  return out;
}

/** A labelled set: `perClass` clouds of each class, interleaved. */
export function makeSet(perClass: number, points: number, g: Generator): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(perClass * CLASSES.length * points * 3);
  const y = new Int32Array(perClass * CLASSES.length);
  let k = 0;
  for (let i = 0; i < perClass; i++) {
    CLASSES.forEach((kind, label) => {
      x.set(sampleCloud(kind, points, g), k * points * 3);
      y[k++] = label;
    });
  }
  return { x, y };
}
