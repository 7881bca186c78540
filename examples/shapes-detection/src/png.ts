/**
 * Drawing for the example's PNGs: scenes scaled up, boxes with class names
 * and scores, instance masks and semantic / panoptic maps in colour, written
 * with the pure-JS `fast-png` encoder.
 */
import { writeFileSync } from 'node:fs';
import { encode } from 'fast-png';
import { SHAPE_CLASSES, STUFF_CLASSES, type ShapesScene } from '@fovea/detection';

/** An RGB image in memory. */
export interface Canvas {
  width: number;
  height: number;
  /** `H·W·3` bytes. */
  data: Uint8Array;
}

export function canvas(width: number, height: number, rgb: readonly number[] = [255, 255, 255]): Canvas {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, 3 * i);
  return { width, height, data };
}

export function savePng(path: string, c: Canvas): void {
  writeFileSync(path, encode({ width: c.width, height: c.height, data: c.data, channels: 3, depth: 8 }));
}

function put(c: Canvas, x: number, y: number, rgb: readonly number[], alpha = 1): void {
  if (x < 0 || y < 0 || x >= c.width || y >= c.height) return;
  const i = 3 * (y * c.width + x);
  for (let k = 0; k < 3; k++) c.data[i + k] = Math.round(alpha * rgb[k]! + (1 - alpha) * c.data[i + k]!);
}

export function fillRect(c: Canvas, x: number, y: number, w: number, h: number, rgb: readonly number[], alpha = 1): void {
  for (let yy = Math.max(0, Math.floor(y)); yy < Math.min(c.height, Math.floor(y + h)); yy++)
    for (let xx = Math.max(0, Math.floor(x)); xx < Math.min(c.width, Math.floor(x + w)); xx++) put(c, xx, yy, rgb, alpha);
}

/** A box outline of `t` pixels, in canvas pixels. */
export function strokeRect(c: Canvas, x1: number, y1: number, x2: number, y2: number, rgb: readonly number[], t = 2): void {
  fillRect(c, x1, y1, x2 - x1, t, rgb);
  fillRect(c, x1, y2 - t, x2 - x1, t, rgb);
  fillRect(c, x1, y1, t, y2 - y1, rgb);
  fillRect(c, x2 - t, y1, t, y2 - y1, rgb);
}

// a 3×5 pixel font (rows top to bottom, 3 bits each, MSB = left)
const FONT: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [7, 1, 7, 4, 7], '3': [7, 1, 3, 1, 7], '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7], '6': [7, 4, 7, 5, 7], '7': [7, 1, 2, 2, 2], '8': [7, 5, 7, 5, 7], '9': [7, 5, 7, 1, 7],
  '.': [0, 0, 0, 0, 2], ' ': [0, 0, 0, 0, 0], '-': [0, 0, 7, 0, 0], ':': [0, 2, 0, 2, 0], '%': [5, 1, 2, 4, 5], '=': [0, 7, 0, 7, 0],
  a: [0, 6, 3, 5, 7], b: [4, 4, 7, 5, 7], c: [0, 7, 4, 4, 7], d: [1, 1, 7, 5, 7], e: [0, 7, 7, 4, 7], f: [3, 2, 7, 2, 2],
  g: [0, 7, 5, 7, 1], h: [4, 4, 7, 5, 5], i: [2, 0, 2, 2, 2], k: [4, 5, 6, 5, 5], l: [6, 2, 2, 2, 7], m: [0, 7, 7, 5, 5],
  n: [0, 6, 5, 5, 5], o: [0, 7, 5, 5, 7], p: [0, 7, 5, 7, 4], q: [0, 7, 5, 7, 1], r: [0, 7, 4, 4, 4], s: [0, 7, 6, 3, 7],
  t: [2, 7, 2, 2, 3], u: [0, 5, 5, 5, 7], v: [0, 5, 5, 5, 2], w: [0, 5, 5, 7, 7], x: [0, 5, 2, 5, 5], y: [0, 5, 7, 1, 7],
};

/** Text in the 3×5 font, each font pixel `scale`×`scale`; returns the width drawn. */
export function drawText(c: Canvas, text: string, x: number, y: number, scale: number, rgb: readonly number[]): number {
  let at = x;
  for (const ch of text.toLowerCase()) {
    const rows = FONT[ch];
    if (rows) rows.forEach((bits, r) => [4, 2, 1].forEach((m, col) => bits & m && fillRect(c, at + col * scale, y + r * scale, scale, scale, rgb)));
    at += 4 * scale;
  }
  return at - x - scale;
}

/** Text on a filled background (a box label). */
export function label(c: Canvas, text: string, x: number, y: number, bg: readonly number[], scale = 1): void {
  const w = text.length * 4 * scale + scale;
  const yy = Math.max(0, y - 6 * scale - 1);
  fillRect(c, x, yy, w, 6 * scale + 1, bg);
  drawText(c, text, x + scale, yy + scale, scale, [255, 255, 255]);
}

/** Colours of the semantic classes: unlabeled, circle, square, triangle, sky, ground. */
export const CLASS_COLORS: readonly (readonly number[])[] = [
  [0, 0, 0], [230, 25, 75], [60, 180, 75], [0, 130, 200], [170, 220, 255], [150, 110, 60],
];
/** Short class names for box labels. */
export const CLASS_NAMES = ['bg', ...SHAPE_CLASSES, ...STUFF_CLASSES];

/** Distinct colours for instances. */
export function instanceColor(i: number): number[] {
  const h = (i * 0.618034) % 1;
  const f = (n: number) => {
    const k = (n + h * 6) % 6;
    return Math.round(255 * (1 - Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}

/** A scene's image scaled `s` times. */
export function sceneImage(scene: ShapesScene, s: number): Canvas {
  const c = canvas(scene.width * s, scene.height * s);
  for (let y = 0; y < scene.height; y++)
    for (let x = 0; x < scene.width; x++) {
      const i = 3 * (y * scene.width + x);
      const rgb = [0, 1, 2].map((k) => Math.round(255 * scene.image[i + k]!));
      fillRect(c, x * s, y * s, s, s, rgb);
    }
  return c;
}

/** A label map (`[H·W]`, values index `colors`) scaled `s` times. */
export function labelImage(map: ArrayLike<number>, w: number, h: number, s: number, color: (v: number) => readonly number[]): Canvas {
  const c = canvas(w * s, h * s);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) fillRect(c, x * s, y * s, s, s, color(map[y * w + x]!));
  return c;
}

/** Tints the pixels of a `[H·W]` mask (value > 0.5) on a scaled canvas. */
export function tintMask(c: Canvas, mask: ArrayLike<number>, w: number, h: number, s: number, rgb: readonly number[], alpha = 0.5): void {
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (mask[y * w + x]! > 0.5) fillRect(c, x * s, y * s, s, s, rgb, alpha);
}

/** One drawn box: pixel-edge coordinates in scene pixels. */
export interface DrawBox {
  box: readonly number[];
  label: number;
  score?: number;
}

/** Draws boxes with `class score` labels on a canvas scaled `s` times. */
export function drawBoxes(c: Canvas, boxes: DrawBox[], s: number): void {
  for (const b of boxes) {
    const col = CLASS_COLORS[b.label] ?? [255, 255, 255];
    strokeRect(c, b.box[0]! * s, b.box[1]! * s, b.box[2]! * s, b.box[3]! * s, col, 2);
    const text = b.score === undefined ? CLASS_NAMES[b.label]! : `${CLASS_NAMES[b.label]} ${b.score.toFixed(2).replace(/^0/, '')}`;
    label(c, text, b.box[0]! * s, b.box[1]! * s, col);
  }
}

/** Pastes `src` into `dst` at (x, y). */
export function paste(dst: Canvas, src: Canvas, x: number, y: number): void {
  for (let yy = 0; yy < src.height; yy++) {
    if (y + yy < 0 || y + yy >= dst.height) continue;
    dst.data.set(src.data.subarray(yy * src.width * 3, (yy + 1) * src.width * 3), 3 * ((y + yy) * dst.width + x));
  }
}

/**
 * A grid: one row per scene, one column per panel, with column titles, 6 px
 * gutters; every panel the same size.
 */
export function grid(rows: Canvas[][], titles: string[]): Canvas {
  const pw = rows[0]![0]!.width, ph = rows[0]![0]!.height, gap = 6, top = 16;
  const c = canvas(gap + titles.length * (pw + gap), top + rows.length * (ph + gap));
  titles.forEach((t, j) => drawText(c, t, gap + j * (pw + gap), 4, 2, [0, 0, 0]));
  rows.forEach((row, i) => row.forEach((p, j) => paste(c, p, gap + j * (pw + gap), top + i * (ph + gap))));
  return c;
}
