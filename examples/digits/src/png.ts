import { encode } from 'fast-png';
import { writeFile } from 'node:fs/promises';

/** An RGB image in memory. */
export interface Canvas {
  width: number;
  height: number;
  data: Uint8Array; // H·W·3
}

export function canvas(width: number, height: number, rgb: [number, number, number] = [255, 255, 255]): Canvas {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, 3 * i);
  return { width, height, data };
}

export function fillRect(c: Canvas, x: number, y: number, w: number, h: number, rgb: readonly number[]): void {
  for (let yy = Math.max(0, y); yy < Math.min(c.height, y + h); yy++)
    for (let xx = Math.max(0, x); xx < Math.min(c.width, x + w); xx++) c.data.set(rgb, 3 * (yy * c.width + xx));
}

export async function savePng(path: string, c: Canvas): Promise<void> {
  await writeFile(path, encode({ width: c.width, height: c.height, data: c.data, channels: 3, depth: 8 }));
}

// a 3×5 pixel font for digits and a few lower-case letters (rows top to bottom, 3 bits each, MSB = left)
const FONT: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7],
  '1': [2, 6, 2, 2, 7],
  '2': [7, 1, 7, 4, 7],
  '3': [7, 1, 3, 1, 7],
  '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7],
  '6': [7, 4, 7, 5, 7],
  '7': [7, 1, 2, 2, 2],
  '8': [7, 5, 7, 5, 7],
  '9': [7, 5, 7, 1, 7],
  '%': [5, 1, 2, 4, 5],
  '.': [0, 0, 0, 0, 2],
  ' ': [0, 0, 0, 0, 0],
  '=': [0, 7, 0, 7, 0],
  a: [0, 6, 3, 5, 7],
  c: [0, 7, 4, 4, 7],
  d: [1, 1, 7, 5, 7],
  e: [0, 7, 7, 4, 7],
  f: [3, 2, 7, 2, 2],
  i: [2, 0, 2, 2, 2],
  k: [4, 5, 6, 5, 5],
  l: [6, 2, 2, 2, 7],
  m: [0, 7, 7, 5, 5],
  n: [0, 6, 5, 5, 5],
  o: [0, 7, 5, 5, 7],
  p: [0, 7, 5, 7, 4],
  r: [0, 7, 4, 4, 4],
  s: [0, 7, 6, 3, 7],
  t: [2, 7, 2, 2, 3],
  u: [0, 5, 5, 5, 7],
  x: [0, 5, 2, 5, 5],
};

/** Draws text with the 3×5 font, each font pixel `scale`×`scale`; returns the text width. */
export function drawText(c: Canvas, text: string, x: number, y: number, scale: number, rgb: readonly number[]): number {
  let at = x;
  for (const ch of text) {
    const rows = FONT[ch];
    if (rows) rows.forEach((bits, r) => [4, 2, 1].forEach((m, col) => bits & m && fillRect(c, at + col * scale, y + r * scale, scale, scale, rgb)));
    at += 4 * scale;
  }
  return at - x - scale;
}

/** Blue (negative) – white (0) – red (positive) colour map for a value in [-1, 1]. */
export function diverging(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v));
  return t >= 0
    ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))]
    : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
}

/**
 * One class template as a PNG: weights `[784]` of a 28×28 image, scaled up
 * `scale` times, coloured blue–white–red by their value over the largest |w|.
 */
export function templateImage(w: ArrayLike<number>, scale: number, maxAbs: number): Canvas {
  const c = canvas(28 * scale, 28 * scale);
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) fillRect(c, x * scale, y * scale, scale, scale, diverging(w[y * 28 + x]! / maxAbs));
  return c;
}

/** Pastes `src` into `dst` at (x, y). */
export function paste(dst: Canvas, src: Canvas, x: number, y: number): void {
  for (let yy = 0; yy < src.height; yy++) dst.data.set(src.data.subarray(yy * src.width * 3, (yy + 1) * src.width * 3), 3 * ((y + yy) * dst.width + x));
}

/**
 * A confusion matrix as a heat map: rows are true classes, columns predicted
 * ones, each cell shaded by its share of the row and labelled with its count;
 * class labels along the top and left.
 */
export function confusionImage(cm: number[][], title: string): Canvas {
  const k = cm.length;
  const cell = 40;
  const margin = 66;
  const c = canvas(margin + k * cell + 12, margin + k * cell + 12);
  drawText(c, title, margin, 6, 2, [0, 0, 0]);
  drawText(c, 'predicted', margin + (k * cell) / 2 - 34, 28, 2, [90, 90, 90]);
  // "true" written downwards, one letter per line, left of the row labels
  [...'true'].forEach((ch, r) => drawText(c, ch, 4, margin + (k * cell) / 2 - 24 + 13 * r, 2, [90, 90, 90]));
  for (let i = 0; i < k; i++) {
    drawText(c, String(i), margin + i * cell + cell / 2 - 4, margin - 18, 3, [0, 0, 0]); // predicted
    drawText(c, String(i), margin - 16, margin + i * cell + cell / 2 - 7, 3, [0, 0, 0]); // true
    const rowSum = cm[i]!.reduce((a, b) => a + b, 0) || 1;
    for (let j = 0; j < k; j++) {
      const share = cm[i]![j]! / rowSum;
      const shade = Math.round(255 * (1 - Math.sqrt(share)));
      const bg = i === j ? [shade, Math.round(255 - (255 - shade) * 0.6), shade] : [255, shade, shade];
      fillRect(c, margin + j * cell + 1, margin + i * cell + 1, cell - 1, cell - 1, bg);
      const text = String(cm[i]![j]!);
      const ink = share > 0.45 ? [255, 255, 255] : [0, 0, 0];
      if (cm[i]![j]! > 0) drawText(c, text, margin + j * cell + (cell - (text.length * 8 - 2)) / 2, margin + i * cell + cell / 2 - 5, 2, ink);
    }
  }
  return c;
}
