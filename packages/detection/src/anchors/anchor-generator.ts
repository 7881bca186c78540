import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, FoveaError, Module } from '@fovea/core';

/** Options for {@link AnchorGenerator}. @category Anchors */
export interface AnchorGeneratorOptions {
  /** Anchor sizes (square side, pixels), one list per feature map; default `[[128, 256, 512]]`. */
  sizes?: number[][];
  /** Aspect ratios `height / width`, one list per feature map (or one list for all); default `[[0.5, 1, 2]]`. */
  aspectRatios?: number[][];
}

/** Options for {@link gridAnchors}. @category Anchors */
export interface GridAnchorsOptions {
  /** Anchor sizes (square side, pixels). */
  sizes: number[];
  /** Aspect ratios `height / width`. */
  aspectRatios: number[];
  /** The feature map size `[h, w]`. */
  featureSize: readonly [number, number];
  /** The (padded) image size `[H, W]`; strides are `H // h`, `W // w`. */
  imageSize: readonly [number, number];
}

/** `torch.round`: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * torchvision's `AnchorGenerator.generate_anchors`, in float32 arithmetic:
 * `[A, 4]` zero-centred anchors, ratios outer, sizes inner.
 */
export function cellAnchors(sizes: readonly number[], aspectRatios: readonly number[]): Float32Array {
  const f = Math.fround;
  const out = new Float32Array(sizes.length * aspectRatios.length * 4);
  let k = 0;
  for (const r of aspectRatios) {
    const hr = f(Math.sqrt(f(r)));
    const wr = f(1 / hr);
    for (const s of sizes) {
      const ws = f(wr * f(s));
      const hs = f(hr * f(s));
      out[k++] = roundHalfEven(-ws / 2);
      out[k++] = roundHalfEven(-hs / 2);
      out[k++] = roundHalfEven(ws / 2);
      out[k++] = roundHalfEven(hs / 2);
    }
  }
  return out;
}

function checkList(op: string, arg: string, v: unknown, spec: { gt?: number; integer?: boolean }): number[] {
  if (!Array.isArray(v) || v.length === 0) {
    throw new FoveaError({ op, arg, expected: 'a non-empty array of numbers', got: Array.isArray(v) ? 'an empty array' : typeof v });
  }
  return v.map((x, i) => checkNumber(op, `${arg}[${i}]`, x, spec));
}

function checkSize(op: string, arg: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) {
    throw new FoveaError({ op, arg, expected: 'a size [h, w]', got: Array.isArray(v) ? `an array of length ${v.length}` : typeof v });
  }
  return [checkNumber(op, `${arg}[0]`, v[0], { integer: true, min: 1 }), checkNumber(op, `${arg}[1]`, v[1], { integer: true, min: 1 })];
}

/** The anchors of one feature map as a flat float32 array (`[h·w·A, 4]`). */
function gridAnchorData(base: Float32Array, fh: number, fw: number, sh: number, sw: number): Float32Array {
  const a = base.length >> 2;
  const out = new Float32Array(fh * fw * a * 4);
  let k = 0;
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      const dx = x * sw;
      const dy = y * sh;
      for (let t = 0; t < a; t++) {
        out[k++] = base[4 * t]! + dx;
        out[k++] = base[4 * t + 1]! + dy;
        out[k++] = base[4 * t + 2]! + dx;
        out[k++] = base[4 * t + 3]! + dy;
      }
    }
  }
  return out;
}

/**
 * The anchors of one feature map, exactly as torchvision's `AnchorGenerator`
 * makes them: for each location (row-major) the `A = sizes × ratios` cell
 * anchors (ratios outer, sizes inner; `round([-ws, -hs, ws, hs] / 2)` in
 * float32, half to even), shifted by `(x·sw, y·sh)` with integer strides
 * `sh = H // h`, `sw = W // w`.
 *
 * @param opts sizes, aspect ratios, feature map size and image size.
 * @returns `[h·w·A, 4]` float32 anchors as `[x1, y1, x2, y2]`; row `(y·w + x)·A + a`.
 * @example
 * ```ts
 * import { gridAnchors } from '@fovea/detection';
 * const a = gridAnchors({ sizes: [32], aspectRatios: [1], featureSize: [2, 2], imageSize: [64, 64] });
 * a.print(); // [[-16, -16, 16, 16], [16, -16, 48, 16], [-16, 16, 16, 48], [16, 16, 48, 48]]
 * ```
 * @category Anchors
 */
export function gridAnchors(opts: GridAnchorsOptions): tf.Tensor2D {
  const op = 'gridAnchors';
  const sizes = checkList(op, 'options.sizes', opts.sizes, { gt: 0 });
  const ratios = checkList(op, 'options.aspectRatios', opts.aspectRatios, { gt: 0 });
  const [fh, fw] = checkSize(op, 'options.featureSize', opts.featureSize);
  const [ih, iw] = checkSize(op, 'options.imageSize', opts.imageSize);
  const base = cellAnchors(sizes, ratios);
  const data = gridAnchorData(base, fh, fw, Math.floor(ih / fh), Math.floor(iw / fw));
  return tf.tensor2d(data, [data.length / 4, 4]);
}

/**
 * Anchors for a feature pyramid, torchvision's `AnchorGenerator`: one size
 * list and one ratio list per feature map. `forward(imageSize, featureSizes)`
 * returns the anchors of one image, all levels concatenated in level order.
 * No parameters; a Module so detectors can hold it as a child. See
 * {@link gridAnchors} for the order within a level.
 *
 * @example
 * ```ts
 * import { AnchorGenerator } from '@fovea/detection';
 * const gen = new AnchorGenerator({ sizes: [[32], [64]], aspectRatios: [[0.5, 1, 2]] });
 * gen.numAnchorsPerLocation(); // [3, 3]
 * const anchors = gen.forward([256, 256], [[32, 32], [16, 16]]); // [(32·32 + 16·16)·3, 4]
 * anchors.dispose();
 * ```
 * @category Anchors
 */
export class AnchorGenerator extends Module<[readonly [number, number], readonly (readonly [number, number])[]], tf.Tensor2D> {
  /** Sizes per level. */
  readonly sizes: number[][];
  /** Aspect ratios per level. */
  readonly aspectRatios: number[][];
  private readonly cells: Float32Array[];

  constructor(opts: AnchorGeneratorOptions = {}) {
    super();
    const op = 'AnchorGenerator';
    const sizes = opts.sizes ?? [[128, 256, 512]];
    let ratios = opts.aspectRatios ?? [[0.5, 1, 2]];
    if (!Array.isArray(sizes) || sizes.length === 0) {
      throw new FoveaError({ op, arg: 'options.sizes', expected: 'one size list per feature map', got: describe(sizes) });
    }
    if (Array.isArray(ratios) && ratios.length === 1 && sizes.length > 1) ratios = sizes.map(() => ratios[0]!);
    if (!Array.isArray(ratios) || ratios.length !== sizes.length) {
      throw new FoveaError({ op, arg: 'options.aspectRatios', expected: `${sizes.length} ratio lists (one per size list)`, got: describe(ratios) });
    }
    this.sizes = sizes.map((s, l) => checkList(op, `options.sizes[${l}]`, s, { gt: 0 }));
    this.aspectRatios = ratios.map((r, l) => checkList(op, `options.aspectRatios[${l}]`, r, { gt: 0 }));
    this.cells = this.sizes.map((s, l) => cellAnchors(s, this.aspectRatios[l]!));
  }

  /** Anchors per location for each level (`sizes × ratios`). */
  numAnchorsPerLocation(): number[] {
    return this.cells.map((c) => c.length / 4);
  }

  /** The zero-centred cell anchors of level `l`, `[A, 4]`. */
  cellAnchors(l = 0): tf.Tensor2D {
    const c = this.cells[l];
    if (!c) throw new FoveaError({ op: 'AnchorGenerator.cellAnchors', arg: 'l', expected: `a level in [0, ${this.cells.length})`, got: String(l) });
    return tf.tensor2d(c, [c.length / 4, 4]);
  }

  /**
   * @param imageSize the (padded) image size `[H, W]`.
   * @param featureSizes `[h, w]` of each feature map, in level order.
   * @returns `[Σ h·w·A, 4]` anchors as `[x1, y1, x2, y2]`.
   */
  forward(imageSize: readonly [number, number], featureSizes: readonly (readonly [number, number])[]): tf.Tensor2D {
    const op = 'AnchorGenerator.forward';
    const [ih, iw] = checkSize(op, 'imageSize', imageSize);
    if (!Array.isArray(featureSizes) || featureSizes.length !== this.cells.length) {
      throw new FoveaError({ op, arg: 'featureSizes', expected: `${this.cells.length} feature map sizes`, got: describe(featureSizes) });
    }
    const parts = featureSizes.map((fs, l) => {
      const [fh, fw] = checkSize(op, `featureSizes[${l}]`, fs);
      return gridAnchorData(this.cells[l]!, fh, fw, Math.floor(ih / fh), Math.floor(iw / fw));
    });
    const total = parts.reduce((n, p) => n + p.length, 0);
    const data = new Float32Array(total);
    let off = 0;
    for (const p of parts) {
      data.set(p, off);
      off += p.length;
    }
    return tf.tensor2d(data, [total / 4, 4]);
  }
}

function describe(v: unknown): string {
  return Array.isArray(v) ? `${v.length} entries` : typeof v;
}
