/** Tiny RGB canvas helpers for the examples' pictures (written with fast-png). */
import { encode } from 'fast-png';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type RGB = readonly [number, number, number];

/** An RGB image in memory, row-major `H·W·3` bytes. */
export interface Canvas {
  width: number;
  height: number;
  data: Uint8Array;
}

export function canvas(width: number, height: number, rgb: RGB = [255, 255, 255]): Canvas {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, 3 * i);
  return { width, height, data };
}

export function setPixel(c: Canvas, x: number, y: number, rgb: RGB): void {
  if (x < 0 || y < 0 || x >= c.width || y >= c.height) return;
  c.data.set(rgb, 3 * (Math.floor(y) * c.width + Math.floor(x)));
}

export function fillRect(c: Canvas, x: number, y: number, w: number, h: number, rgb: RGB): void {
  for (let yy = Math.max(0, y); yy < Math.min(c.height, y + h); yy++) for (let xx = Math.max(0, x); xx < Math.min(c.width, x + w); xx++) c.data.set(rgb, 3 * (yy * c.width + xx));
}

/** Draws a grey image (values in [0, 1], `h × w`, 1 = ink) scaled by `s` at (x, y), ink dark on white. */
export function drawGrey(c: Canvas, img: ArrayLike<number>, h: number, w: number, x: number, y: number, s: number): void {
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++) {
      const v = Math.round(255 * (1 - Math.min(1, Math.max(0, img[i * w + j]!))));
      fillRect(c, x + j * s, y + i * s, s, s, [v, v, v]);
    }
}

/** A perceptual-ish heat colour for t in [0, 1]: black → red → yellow → white. */
export function heat(t: number): RGB {
  const v = Math.min(1, Math.max(0, t));
  return [Math.round(255 * Math.min(1, 3 * v)), Math.round(255 * Math.min(1, Math.max(0, 3 * v - 1))), Math.round(255 * Math.max(0, 3 * v - 2))];
}

/** Draws the digit (grey) blended with a heat map upsampled from `mh × mw` to the digit's `h × w`, scaled by `s`. */
export function drawOverlay(c: Canvas, img: ArrayLike<number>, h: number, w: number, map: ArrayLike<number>, mh: number, mw: number, x: number, y: number, s: number): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < mh * mw; i++) {
    lo = Math.min(lo, map[i]!);
    hi = Math.max(hi, map[i]!);
  }
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++) {
      const m = map[Math.floor((i * mh) / h) * mw + Math.floor((j * mw) / w)]!;
      const [r, g, b] = heat(hi > lo ? (m - lo) / (hi - lo) : 0);
      const ink = Math.min(1, Math.max(0, img[i * w + j]!));
      const mix = (a: number) => Math.round(0.6 * a + 0.4 * 255 * ink);
      fillRect(c, x + j * s, y + i * s, s, s, [mix(r), mix(g), mix(b)]);
    }
}

/** A line from (x0, y0) to (x1, y1), `t` pixels thick. */
export function line(c: Canvas, x0: number, y0: number, x1: number, y1: number, rgb: RGB, t = 1): void {
  const n = Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))) + 1;
  for (let i = 0; i <= n; i++) {
    const x = x0 + ((x1 - x0) * i) / n;
    const y = y0 + ((y1 - y0) * i) / n;
    fillRect(c, Math.round(x - t / 2), Math.round(y - t / 2), t, t, rgb);
  }
}

/** An axis-aligned rectangle outline. */
export function rect(c: Canvas, x: number, y: number, w: number, h: number, rgb: RGB, t = 1): void {
  line(c, x, y, x + w, y, rgb, t);
  line(c, x + w, y, x + w, y + h, rgb, t);
  line(c, x + w, y + h, x, y + h, rgb, t);
  line(c, x, y + h, x, y, rgb, t);
}

export async function savePng(path: string, c: Canvas): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, encode({ width: c.width, height: c.height, data: c.data, channels: 3, depth: 8 }));
}
