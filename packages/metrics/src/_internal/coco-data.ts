/**
 * COCO JSON (annotation files and results lists) → typed-array tables, with
 * every record validated: a bad record is a FoveaError naming it.
 */
import { FoveaError, describeValue } from '@fovea/core';
import type { CocoAnnotation, CocoGroundTruth, CocoResult } from '../detection/coco-types.js';
import type { DtTable, GtTable } from './coco-engine.js';

/** A validated annotation file: the gt table plus its image and category ids. @internal */
export interface GtIndex {
  table: GtTable;
  imgIds: number[];
  catIds: number[];
  imgSet: Set<number>;
  catSet: Set<number>;
  catNames: Map<number, string>;
}

function fail(op: string, arg: string, expected: string, got: string): never {
  throw new FoveaError({ op, arg, expected, got });
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function idOf(op: string, arg: string, rec: unknown, field = 'id'): number {
  if (rec === null || typeof rec !== 'object') fail(op, arg, `an object with a numeric ${field}`, describeValue(rec));
  const v = (rec as Record<string, unknown>)[field];
  if (!isNum(v)) fail(op, `${arg}.${field}`, 'a finite number', describeValue(v));
  return v;
}

function list(op: string, arg: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) fail(op, arg, 'an array', v === undefined ? 'undefined (field missing)' : describeValue(v));
  return v;
}

/** Checks a `bbox` field and returns it: 4 finite numbers, width and height ≥ 0. */
function bbox(op: string, arg: string, v: unknown, who: string): [number, number, number, number] {
  if (!Array.isArray(v) || v.length !== 4 || !v.every(isNum)) {
    fail(op, `${arg}.bbox`, '[x, y, width, height] of 4 finite numbers', `${describeValue(v)} (${who})`);
  }
  if (v[2] < 0 || v[3] < 0) {
    fail(op, `${arg}.bbox`, 'a box with width and height >= 0', `[${v.join(', ')}] (${who})`);
  }
  return v as [number, number, number, number];
}

/**
 * Validates a COCO annotation file and builds its gt table. Rejects a
 * missing/empty field, an annotation whose image or category is not listed,
 * a duplicate annotation id, a bad box, area or iscrowd.
 * @internal
 */
export function indexGroundTruth(op: string, gt: CocoGroundTruth): GtIndex {
  if (gt === null || typeof gt !== 'object' || Array.isArray(gt)) {
    fail(op, 'gt', 'a COCO annotation object {images, annotations, categories}', Array.isArray(gt) ? 'an array' : describeValue(gt));
  }
  const images = list(op, 'gt.images', gt.images);
  const cats = list(op, 'gt.categories', gt.categories);
  const anns = list(op, 'gt.annotations', gt.annotations) as CocoAnnotation[];
  const imgSet = new Set<number>();
  images.forEach((im, i) => imgSet.add(idOf(op, `gt.images[${i}]`, im)));
  const catSet = new Set<number>();
  const catNames = new Map<number, string>();
  cats.forEach((c, i) => {
    const id = idOf(op, `gt.categories[${i}]`, c);
    catSet.add(id);
    const name = (c as { name?: unknown }).name;
    if (typeof name === 'string') catNames.set(id, name);
  });
  const n = anns.length;
  const t: GtTable = {
    n,
    boxes: new Float64Array(4 * n),
    image: new Float64Array(n),
    category: new Float64Array(n),
    crowd: new Uint8Array(n),
    area: new Float64Array(n),
    id: new Float64Array(n),
  };
  const seenIds = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const arg = `gt.annotations[${i}]`;
    const a = anns[i]!;
    const id = idOf(op, arg, a);
    const who = `annotation id ${id}`;
    const prev = seenIds.get(id);
    if (prev !== undefined) fail(op, `${arg}.id`, 'a unique annotation id', `${id}, also used by gt.annotations[${prev}]`);
    seenIds.set(id, i);
    const img = a.image_id;
    if (!isNum(img) || !imgSet.has(img)) fail(op, `${arg}.image_id`, 'the id of an image listed in gt.images', `${describeValue(img)} (${who})`);
    const cat = a.category_id;
    if (!isNum(cat) || !catSet.has(cat)) {
      fail(op, `${arg}.category_id`, 'the id of a category listed in gt.categories', `${describeValue(cat)} (${who})`);
    }
    const box = bbox(op, arg, a.bbox, who);
    let area = box[2] * box[3];
    if (a.area !== undefined) {
      if (!isNum(a.area) || a.area < 0) fail(op, `${arg}.area`, 'a finite number >= 0', `${describeValue(a.area)} (${who})`);
      area = a.area;
    }
    const c = a.iscrowd ?? 0;
    if (c !== 0 && c !== 1 && c !== true && c !== false) fail(op, `${arg}.iscrowd`, '0, 1 or a boolean', `${describeValue(c)} (${who})`);
    t.boxes.set(box, 4 * i);
    t.image[i] = img;
    t.category[i] = cat;
    t.crowd[i] = c === 1 || c === true ? 1 : 0;
    t.area[i] = area;
    t.id[i] = id;
  }
  const sorted = (s: Set<number>): number[] => [...s].sort((x, y) => x - y);
  return { table: t, imgIds: sorted(imgSet), catIds: sorted(catSet), imgSet, catSet, catNames };
}

/** A growable detection table. @internal */
export class DtBuilder {
  n = 0;
  private cap: number;
  boxes: Float64Array;
  image: Float64Array;
  category: Float64Array;
  score: Float64Array;

  constructor(capacity = 1024) {
    this.cap = Math.max(1, capacity);
    this.boxes = new Float64Array(4 * this.cap);
    this.image = new Float64Array(this.cap);
    this.category = new Float64Array(this.cap);
    this.score = new Float64Array(this.cap);
  }

  /** Makes room for `extra` more rows. */
  reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.cap) return;
    let cap = this.cap;
    while (cap < need) cap *= 2;
    const grow = (a: Float64Array, w: number): Float64Array => {
      const b = new Float64Array(cap * w);
      b.set(a.subarray(0, this.n * w));
      return b;
    };
    this.boxes = grow(this.boxes, 4);
    this.image = grow(this.image, 1);
    this.category = grow(this.category, 1);
    this.score = grow(this.score, 1);
    this.cap = cap;
  }

  /** Appends one detection (room must be reserved). */
  add(x: number, y: number, w: number, h: number, image: number, category: number, score: number): void {
    const i = this.n++;
    this.boxes[4 * i] = x;
    this.boxes[4 * i + 1] = y;
    this.boxes[4 * i + 2] = w;
    this.boxes[4 * i + 3] = h;
    this.image[i] = image;
    this.category[i] = category;
    this.score[i] = score;
  }

  /** The rows so far as a table (views; valid until the next add). */
  table(): DtTable {
    const n = this.n;
    return {
      n,
      boxes: this.boxes.subarray(0, 4 * n),
      image: this.image.subarray(0, n),
      category: this.category.subarray(0, n),
      score: this.score.subarray(0, n),
    };
  }
}

/**
 * Validates a COCO results list (what pycocotools' `loadRes` reads) against
 * the ground truth and appends it to `out`. Nothing is appended when a
 * record is bad.
 * @internal
 */
export function addResults(op: string, arg: string, results: CocoResult[], gt: GtIndex, out: DtBuilder): void {
  const recs = list(op, arg, results) as CocoResult[];
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i]!;
    const a = `${arg}[${i}]`;
    if (r === null || typeof r !== 'object') fail(op, a, 'a result {image_id, category_id, bbox, score}', describeValue(r));
    if (!isNum(r.image_id) || !gt.imgSet.has(r.image_id)) {
      fail(op, `${a}.image_id`, 'the id of an image of the ground truth', describeValue(r.image_id));
    }
    if (!isNum(r.category_id) || !gt.catSet.has(r.category_id)) {
      fail(op, `${a}.category_id`, 'the id of a category of the ground truth', describeValue(r.category_id));
    }
    if (!isNum(r.score)) fail(op, `${a}.score`, 'a finite number', describeValue(r.score));
    bbox(op, a, r.bbox, `image_id ${r.image_id}`);
  }
  out.reserve(recs.length);
  for (const r of recs) out.add(r.bbox[0]!, r.bbox[1]!, r.bbox[2]!, r.bbox[3]!, r.image_id, r.category_id, r.score);
}
