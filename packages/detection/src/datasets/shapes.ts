import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Generator, checkNumber, defaultGenerator, describeValue } from '@fovea/core';

/** The object ("thing") classes of the shapes scenes; label k is `SHAPE_CLASSES[k - 1]` (0 is background). @category Datasets */
export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const;

/** The background ("stuff") classes; their semantic label is `SHAPE_CLASSES.length + 1 + index`. @category Datasets */
export const STUFF_CLASSES = ['sky', 'ground'] as const;

/** The object colours by name, RGB in [0, 255]. @category Datasets */
export const SHAPE_COLORS: Readonly<Record<string, readonly [number, number, number]>> = {
  red: [220, 40, 40],
  green: [40, 170, 60],
  blue: [40, 80, 220],
  yellow: [235, 200, 40],
  purple: [150, 60, 190],
};

/** A shape class name. @category Datasets */
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

/** Options of {@link generateShapesScene} and {@link shapesScenes}. @category Datasets */
export interface ShapesSceneOptions {
  /** Image size: a number for square images or `[H, W]`; each side 16–512. Default 64. */
  size?: number | [number, number];
  /** Fewest objects per scene. Default 1. */
  minObjects?: number;
  /** Most objects per scene (fewer when they do not fit). Default 4. */
  maxObjects?: number;
  /** Smallest object side, in pixels. Default `round(0.15 · min(H, W))`. */
  minSize?: number;
  /** Largest object side, in pixels. Default `round(0.4 · min(H, W))`. */
  maxSize?: number;
  /** Largest allowed IoU of a new object's box with an earlier one (0: no overlap). Default 0.3. */
  maxOverlap?: number;
  /** Which colours to use (names of {@link SHAPE_COLORS}). Default all. */
  colors?: string[];
  /** Whether the background has sky/ground "stuff" regions (else a flat grey). Default `true`. */
  stuff?: boolean;
  /** Standard deviation of per-pixel Gaussian noise, in [0, 1] units. Default 0.02. */
  noise?: number;
  /** Random source (default: core's default generator), so a seed reproduces the scenes. */
  generator?: Generator;
}

/** One object of a scene. @category Datasets */
export interface ShapeObject {
  /** Thing label, 1-based into {@link SHAPE_CLASSES}. */
  label: number;
  /** Its class name. */
  className: ShapeClass;
  /** Its colour name (a key of {@link SHAPE_COLORS}). */
  color: string;
  /** Visible-pixel box `[x1, y1, x2, y2]` in pixels, inclusive (torchvision's `masks_to_boxes`). */
  box: [number, number, number, number];
  /** Centre of the drawn shape `[x, y]` in pixels. */
  center: [number, number];
}

/** A generated scene: image, objects, masks and segmentation maps, as typed arrays. @category Datasets */
export interface ShapesScene {
  /** Image height H. */
  height: number;
  /** Image width W. */
  width: number;
  /** `[H, W, 3]` RGB in [0, 1], row-major. */
  image: Float32Array;
  /** The objects, in drawing order (later ones occlude earlier ones); only those with visible pixels. */
  objects: ShapeObject[];
  /** One `[H, W]` visible-pixel mask (0/1) per object. */
  masks: Uint8Array[];
  /** `[H, W]` semantic labels: 0 unlabeled, 1..K things ({@link SHAPE_CLASSES}), K+1.. stuff ({@link STUFF_CLASSES}). */
  semantic: Int32Array;
  /** `[H, W]` panoptic ids `label · 1000 + instance` (instance from 1 for things, 0 for stuff; 0 unlabeled). */
  panoptic: Int32Array;
}

/** The label divisor of {@link ShapesScene.panoptic}. @category Datasets */
export const PANOPTIC_DIVISOR = 1000;

type Draw = (x: number, y: number) => boolean;

function shapeFn(cls: ShapeClass, cx: number, cy: number, s: number): Draw {
  const r = s / 2;
  if (cls === 'circle') return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  if (cls === 'square') return (x, y) => Math.abs(x - cx) <= r && Math.abs(y - cy) <= r;
  // upright isosceles triangle inside the s × s square
  return (x, y) => {
    const top = cy - r, bottom = cy + r;
    if (y < top || y > bottom) return false;
    const half = ((y - top) / (bottom - top)) * r;
    return Math.abs(x - cx) <= half;
  };
}

function iou(a: number[], b: number[]): number {
  const ix = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const iy = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = ix * iy;
  const union = (a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter;
  return union > 0 ? inter / union : 0;
}

function resolve(opts: ShapesSceneOptions) {
  const op = 'generateShapesScene';
  const size = opts.size ?? 64;
  const [H, W] = typeof size === 'number' ? [size, size] : Array.isArray(size) && size.length === 2 ? size : [NaN, NaN];
  checkNumber(op, 'options.size', H, { integer: true, min: 16, max: 512 });
  checkNumber(op, 'options.size', W, { integer: true, min: 16, max: 512 });
  const m = Math.min(H!, W!);
  const minObjects = checkNumber(op, 'options.minObjects', opts.minObjects ?? 1, { integer: true, min: 0 });
  const maxObjects = checkNumber(op, 'options.maxObjects', opts.maxObjects ?? 4, { integer: true, min: minObjects });
  const minSize = checkNumber(op, 'options.minSize', opts.minSize ?? Math.round(0.15 * m), { integer: true, min: 3, max: m });
  const maxSize = checkNumber(op, 'options.maxSize', opts.maxSize ?? Math.round(0.4 * m), { integer: true, min: minSize, max: m });
  const maxOverlap = checkNumber(op, 'options.maxOverlap', opts.maxOverlap ?? 0.3, { min: 0, max: 1 });
  const noise = checkNumber(op, 'options.noise', opts.noise ?? 0.02, { min: 0, max: 1 });
  const colors = opts.colors ?? Object.keys(SHAPE_COLORS);
  if (!Array.isArray(colors) || colors.length === 0 || colors.some((c) => !(c in SHAPE_COLORS))) {
    throw new FoveaError({ op, arg: 'options.colors', expected: `a non-empty list of ${Object.keys(SHAPE_COLORS).join(', ')}`, got: describeValue(colors) });
  }
  return { H: H!, W: W!, minObjects, maxObjects, minSize, maxSize, maxOverlap, noise, colors, stuff: opts.stuff ?? true };
}

/** Paints the background and fills the stuff part of the semantic map. */
function paintBackground(H: number, W: number, stuff: boolean, g: Generator, img: Float32Array, semantic: Int32Array): void {
  const K = SHAPE_CLASSES.length;
  const sky = [0.55 + 0.2 * g.random(), 0.7 + 0.2 * g.random(), 0.95];
  const ground = [0.45 + 0.2 * g.random(), 0.35 + 0.15 * g.random(), 0.2 + 0.1 * g.random()];
  const horizon = H * (0.45 + 0.3 * g.random()), amp = H * 0.06 * g.random(), freq = (2 * Math.PI * (1 + 2 * g.random())) / W, phase = 2 * Math.PI * g.random();
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const isSky = y < horizon + amp * Math.sin(freq * x + phase);
      const c = stuff ? (isSky ? sky : ground) : [0.5, 0.5, 0.5];
      const shade = stuff && isSky ? 0.1 * (y / H) : 0;
      for (let k = 0; k < 3; k++) img[i * 3 + k] = c[k]! - shade;
      semantic[i] = stuff ? K + (isSky ? 1 : 2) : 0;
    }
  }
}

/**
 * Generates one synthetic "shapes" scene (the detection, segmentation and
 * captioning toy data of Fovea's examples and tests): a background with
 * sky/ground "stuff" regions and a few coloured circles, squares and
 * triangles of random size and position, drawn in order so later ones may
 * occlude earlier ones (up to `maxOverlap` box IoU). Returns the image and,
 * for every object with visible pixels, its class, colour, box and visible
 * mask, plus semantic and panoptic maps. Seeded: the same generator state
 * gives the same scene.
 *
 * @param opts size, object count and size range, overlap, colours, stuff, noise, generator.
 * @returns the scene as typed arrays (see {@link shapesToTensors} for tensors).
 * @example
 * ```ts
 * import { Generator } from '@fovea/core';
 * import { generateShapesScene } from '@fovea/detection';
 * const scene = generateShapesScene({ size: 96, maxObjects: 3, generator: new Generator(0) });
 * scene.objects.map((o) => `${o.color} ${o.className}`); // e.g. ['red circle', 'blue triangle']
 * scene.image.length; // 96 · 96 · 3
 * ```
 * @category Datasets
 */
export function generateShapesScene(opts: ShapesSceneOptions = {}): ShapesScene {
  const o = resolve(opts);
  const g = opts.generator ?? defaultGenerator();
  const { H, W } = o;
  const image = new Float32Array(H * W * 3);
  const semantic = new Int32Array(H * W);
  paintBackground(H, W, o.stuff, g, image, semantic);
  const owner = new Int32Array(H * W).fill(-1); // which object is visible at each pixel
  const want = o.minObjects + Math.floor(g.random() * (o.maxObjects - o.minObjects + 1));
  const placed: { cls: ShapeClass; color: string; cx: number; cy: number; s: number; box: number[] }[] = [];
  for (let tries = 0; placed.length < want && tries < want * 50; tries++) {
    const s = o.minSize + Math.floor(g.random() * (o.maxSize - o.minSize + 1));
    const cx = s / 2 + g.random() * (W - s), cy = s / 2 + g.random() * (H - s);
    const box = [cx - s / 2, cy - s / 2, cx + s / 2, cy + s / 2];
    if (placed.some((p) => iou(p.box, box) > o.maxOverlap || (o.maxOverlap === 0 && iou(p.box, box) > 0))) continue;
    const cls = SHAPE_CLASSES[Math.floor(g.random() * SHAPE_CLASSES.length)]!;
    const color = o.colors[Math.floor(g.random() * o.colors.length)]!;
    placed.push({ cls, color, cx, cy, s, box });
    const inside = shapeFn(cls, cx, cy, s);
    const rgb = SHAPE_COLORS[color]!;
    const idx = placed.length - 1;
    for (let y = Math.max(0, Math.floor(box[1]!)); y < Math.min(H, Math.ceil(box[3]!) + 1); y++) {
      for (let x = Math.max(0, Math.floor(box[0]!)); x < Math.min(W, Math.ceil(box[2]!) + 1); x++) {
        if (!inside(x + 0.5, y + 0.5)) continue;
        const i = y * W + x;
        owner[i] = idx;
        for (let k = 0; k < 3; k++) image[i * 3 + k] = rgb[k]! / 255;
      }
    }
  }
  if (o.noise > 0) for (let i = 0; i < image.length; i++) image[i] = Math.min(1, Math.max(0, image[i]! + o.noise * g.normal()));
  return finishScene(H, W, image, semantic, owner, placed);
}

function finishScene(
  H: number, W: number, image: Float32Array, semantic: Int32Array, owner: Int32Array,
  placed: { cls: ShapeClass; color: string; cx: number; cy: number }[],
): ShapesScene {
  const objects: ShapeObject[] = [];
  const masks: Uint8Array[] = [];
  const panoptic = new Int32Array(H * W);
  for (let i = 0; i < H * W; i++) panoptic[i] = semantic[i]! * PANOPTIC_DIVISOR;
  placed.forEach((p, idx) => {
    const mask = new Uint8Array(H * W);
    let x1 = W, y1 = H, x2 = -1, y2 = -1;
    for (let i = 0; i < H * W; i++) {
      if (owner[i] !== idx) continue;
      mask[i] = 1;
      const x = i % W, y = (i - x) / W;
      x1 = Math.min(x1, x); y1 = Math.min(y1, y); x2 = Math.max(x2, x); y2 = Math.max(y2, y);
    }
    if (x2 < 0) return; // fully occluded
    const label = SHAPE_CLASSES.indexOf(p.cls) + 1;
    const instance = objects.length + 1;
    for (let i = 0; i < H * W; i++) {
      if (!mask[i]) continue;
      semantic[i] = label;
      panoptic[i] = label * PANOPTIC_DIVISOR + instance;
    }
    objects.push({ label, className: p.cls, color: p.color, box: [x1, y1, x2, y2], center: [p.cx, p.cy] });
    masks.push(mask);
  });
  return { height: H, width: W, image, objects, masks, semantic, panoptic };
}

/**
 * `n` scenes from one generator (see {@link generateShapesScene}).
 *
 * @example
 * ```ts
 * import { Generator } from '@fovea/core';
 * import { shapesScenes } from '@fovea/detection';
 * const scenes = shapesScenes(8, { size: 64, generator: new Generator(1) });
 * scenes.length; // 8
 * ```
 * @category Datasets
 */
export function shapesScenes(n: number, opts: ShapesSceneOptions = {}): ShapesScene[] {
  checkNumber('shapesScenes', 'n', n, { integer: true, min: 0 });
  const generator = opts.generator ?? defaultGenerator();
  return Array.from({ length: n }, () => generateShapesScene({ ...opts, generator }));
}

/** What {@link shapesToTensors} returns. @category Datasets */
export interface ShapesTensors {
  /** `[N, H, W, 3]` images in [0, 1] (NHWC). */
  images: tf.Tensor4D;
  /** `[N, H, W]` int32 semantic maps. */
  semantic: tf.Tensor3D;
  /** Per scene: `[M, 4]` boxes `[x1, y1, x2, y2]` (pixels). */
  boxes: tf.Tensor2D[];
  /** Per scene: `[M]` int32 labels (1-based). */
  labels: tf.Tensor1D[];
  /** Per scene: `[M, H, W]` float32 instance masks. */
  masks: tf.Tensor3D[];
}

/**
 * Stacks scenes of one size into tensors (the caller disposes them).
 *
 * @param scenes scenes with equal `height` and `width`.
 * @returns images `[N, H, W, 3]`, semantic maps `[N, H, W]`, and per-scene boxes, labels and masks.
 * @example
 * ```ts
 * import { Generator } from '@fovea/core';
 * import { shapesScenes, shapesToTensors } from '@fovea/detection';
 * const t = shapesToTensors(shapesScenes(4, { generator: new Generator(0) }));
 * t.images.shape; // [4, 64, 64, 3]
 * ```
 * @category Datasets
 */
export function shapesToTensors(scenes: ShapesScene[]): ShapesTensors {
  const op = 'shapesToTensors';
  if (!Array.isArray(scenes) || scenes.length === 0) throw new FoveaError({ op, arg: 'scenes', expected: 'a non-empty array of scenes', got: describeValue(scenes) });
  const { height: H, width: W } = scenes[0]!;
  scenes.forEach((s, i) => {
    if (s.height !== H || s.width !== W) throw new FoveaError({ op, arg: `scenes[${i}]`, expected: `size ${H}×${W} like scenes[0]`, got: `${s.height}×${s.width}` });
  });
  const N = scenes.length;
  const img = new Float32Array(N * H * W * 3), sem = new Int32Array(N * H * W);
  scenes.forEach((s, i) => { img.set(s.image, i * H * W * 3); sem.set(s.semantic, i * H * W); });
  return {
    images: tf.tensor4d(img, [N, H, W, 3]),
    semantic: tf.tensor3d(sem, [N, H, W], 'int32'),
    boxes: scenes.map((s) => tf.tensor2d(s.objects.flatMap((o) => o.box), [s.objects.length, 4])),
    labels: scenes.map((s) => tf.tensor1d(s.objects.map((o) => o.label), 'int32')),
    masks: scenes.map((s) => {
      const m = new Float32Array(s.masks.length * H * W);
      s.masks.forEach((mk, j) => m.set(mk, j * H * W));
      return tf.tensor3d(m, [s.masks.length, H, W]);
    }),
  };
}
