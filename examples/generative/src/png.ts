/** PNG grids of grey images, written with the pure-JS `fast-png` encoder. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encode } from 'fast-png';

/** An RGB picture in memory. */
export interface Canvas {
  width: number;
  height: number;
  data: Uint8Array; // H·W·3
}

function canvas(width: number, height: number): Canvas {
  return { width, height, data: new Uint8Array(width * height * 3).fill(255) };
}

function fill(c: Canvas, x: number, y: number, w: number, h: number, rgb: readonly number[]): void {
  for (let yy = Math.max(0, y); yy < Math.min(c.height, y + h); yy++)
    for (let xx = Math.max(0, x); xx < Math.min(c.width, x + w); xx++) c.data.set(rgb, 3 * (yy * c.width + xx));
}

// a 3×5 pixel font for the labels (rows top to bottom, 3 bits each, MSB left)
const FONT: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [7, 1, 7, 4, 7], '3': [7, 1, 3, 1, 7], '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7], '6': [7, 4, 7, 5, 7], '7': [7, 1, 2, 2, 2], '8': [7, 5, 7, 5, 7], '9': [7, 5, 7, 1, 7],
  '-': [0, 0, 7, 0, 0], '+': [0, 2, 7, 2, 0], '.': [0, 0, 0, 0, 2], ' ': [0, 0, 0, 0, 0], z: [0, 7, 1, 4, 7],
};

function text(c: Canvas, s: string, x: number, y: number, scale: number): void {
  let at = x;
  for (const ch of s) {
    FONT[ch]?.forEach((bits, r) => [4, 2, 1].forEach((m, col) => bits & m && fill(c, at + col * scale, y + r * scale, scale, scale, [0, 0, 0])));
    at += 4 * scale;
  }
}

/** Options of {@link grid}. */
export interface GridOptions {
  /** Images per row. */
  cols: number;
  /** Pixel scale; default 2. */
  scale?: number;
  /** A label left of each row (digits and a few symbols). */
  rowLabels?: string[];
  /** Gap between images, in output pixels; default 2. */
  gap?: number;
}

/**
 * Lays out `n` grey `h × w` images (values in [0, 1], image after image,
 * row-major) as a grid, optionally with a label left of each row.
 */
export function grid(pixels: ArrayLike<number>, n: number, h: number, w: number, opts: GridOptions): Canvas {
  const scale = opts.scale ?? 2;
  const gap = opts.gap ?? 2;
  const rows = Math.ceil(n / opts.cols);
  const left = opts.rowLabels ? 8 * scale + 2 * gap : gap;
  const c = canvas(left + opts.cols * (w * scale + gap), gap + rows * (h * scale + gap));
  for (let k = 0; k < n; k++) {
    const ox = left + (k % opts.cols) * (w * scale + gap);
    const oy = gap + Math.floor(k / opts.cols) * (h * scale + gap);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = Math.round(255 * (1 - Math.min(1, Math.max(0, pixels[(k * h + y) * w + x]!)))); // ink is dark
        fill(c, ox + x * scale, oy + y * scale, scale, scale, [v, v, v]);
      }
    }
  }
  opts.rowLabels?.forEach((label, r) => text(c, label, gap, gap + r * (h * scale + gap) + (h * scale) / 2 - 2.5 * scale, scale));
  return c;
}

/** Writes a canvas as an 8-bit RGB PNG (creating the folder). */
export async function savePng(path: string, c: Canvas): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, encode({ width: c.width, height: c.height, data: c.data, channels: 3, depth: 8 }));
}
