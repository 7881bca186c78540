/** Minimal PNG drawing for the examples: an RGB canvas, rectangles, a 3×5 pixel font, heat maps, image blits. */
import { encode } from 'fast-png';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** An RGB image in memory. */
export interface Canvas {
  width: number;
  height: number;
  data: Uint8Array; // H·W·3
}

export function canvas(width: number, height: number, rgb: readonly number[] = [255, 255, 255]): Canvas {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, 3 * i);
  return { width, height, data };
}

export function fillRect(c: Canvas, x: number, y: number, w: number, h: number, rgb: readonly number[]): void {
  for (let yy = Math.max(0, y); yy < Math.min(c.height, y + h); yy++)
    for (let xx = Math.max(0, x); xx < Math.min(c.width, x + w); xx++) c.data.set(rgb, 3 * (yy * c.width + xx));
}

// 3×5 glyphs: five rows, three bits each (MSB = left)
const FONT: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [7, 1, 7, 4, 7], '3': [7, 1, 3, 1, 7], '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7], '6': [7, 4, 7, 5, 7], '7': [7, 1, 2, 2, 2], '8': [7, 5, 7, 5, 7], '9': [7, 5, 7, 1, 7],
  A: [2, 5, 7, 5, 5], B: [6, 5, 6, 5, 6], C: [3, 4, 4, 4, 3], D: [6, 5, 5, 5, 6], E: [7, 4, 6, 4, 7], F: [7, 4, 6, 4, 4],
  G: [3, 4, 5, 5, 3], H: [5, 5, 7, 5, 5], I: [7, 2, 2, 2, 7], J: [1, 1, 1, 5, 2], K: [5, 5, 6, 5, 5], L: [4, 4, 4, 4, 7],
  M: [5, 7, 7, 5, 5], N: [6, 5, 5, 5, 5], O: [2, 5, 5, 5, 2], P: [6, 5, 6, 4, 4], Q: [2, 5, 5, 6, 3], R: [6, 5, 6, 5, 5],
  S: [3, 4, 2, 1, 6], T: [7, 2, 2, 2, 2], U: [5, 5, 5, 5, 7], V: [5, 5, 5, 5, 2], W: [5, 5, 7, 7, 5], X: [5, 5, 2, 5, 5],
  Y: [5, 5, 2, 2, 2], Z: [7, 1, 2, 4, 7], '-': [0, 0, 7, 0, 0], '/': [1, 1, 2, 4, 4], ',': [0, 0, 0, 2, 4],
  '.': [0, 0, 0, 0, 2], ' ': [0, 0, 0, 0, 0], '<': [1, 2, 4, 2, 1], '>': [4, 2, 1, 2, 4], ':': [0, 2, 0, 2, 0], '?': [6, 1, 2, 0, 2],
};

/** Writes `s` (upper-cased) at (x, y) with `scale`-pixel dots; unknown characters are drawn as '?'. Returns the width used. */
export function text(c: Canvas, s: string, x: number, y: number, rgb: readonly number[] = [0, 0, 0], scale = 2): number {
  let cx = x;
  for (const ch of s.toUpperCase()) {
    const g = FONT[ch] ?? FONT['?']!;
    g.forEach((row, r) => {
      for (let b = 0; b < 3; b++) if (row & (4 >> b)) fillRect(c, cx + b * scale, y + r * scale, scale, scale, rgb);
    });
    cx += 4 * scale;
  }
  return cx - x;
}

/** A white → dark-blue colour for a value in [0, 1]. */
export function heat(v: number): [number, number, number] {
  const t = Math.max(0, Math.min(1, v));
  return [Math.round(255 * (1 - t)), Math.round(255 * (1 - 0.8 * t)), Math.round(255 - 120 * t)];
}

/** Copies an `[h, w, 3]` float image in [0, 1] to (x, y), each pixel `scale` × `scale`. */
export function blit(c: Canvas, img: ArrayLike<number>, h: number, w: number, x: number, y: number, scale = 1): void {
  for (let yy = 0; yy < h; yy++)
    for (let xx = 0; xx < w; xx++) {
      const rgb = [0, 1, 2].map((k) => Math.round(255 * Math.max(0, Math.min(1, img[(yy * w + xx) * 3 + k]!))));
      fillRect(c, x + xx * scale, y + yy * scale, scale, scale, rgb);
    }
}

export async function savePng(path: string, c: Canvas): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, encode({ width: c.width, height: c.height, data: c.data, channels: 3, depth: 8 }));
}
