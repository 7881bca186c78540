import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, checkNumber, checkTensor, defaultGenerator, formatShape, type Generator } from '@fovea/core';
import { checkSize } from '../_internal/args.js';
import { sampleCategorical } from '../_internal/categorical.js';
import { oneHot } from '../_internal/one-hot.js';

/**
 * What {@link sampleAutoregressive} needs of a model: `forward(x)` maps
 * discrete images `[N, H, W, C]` to logits `[N, H, W, C, K]` of
 * `p(x_i | x_<i)` in raster order ({@link PixelCNN}, {@link PixelRNN},
 * {@link ImageTransformer}, or your own).
 *
 * @category Autoregressive
 */
export interface AutoregressiveImageModel {
  /** Values per channel `K`. */
  readonly levels: number;
  /** Set when the logits of row `i` depend on rows `≤ i` only: the sampler then feeds only those rows (about half the work). */
  readonly rowCausal?: boolean;
  /** `[N, H, W, C]` → `[N, H, W, C, K]`. */
  forward(x: tf.Tensor): tf.Tensor;
}

/** Options for {@link sampleAutoregressive}. @category Autoregressive */
export interface SampleAutoregressiveOptions {
  /** float32 `[N, H, W, C]` known values (inpainting); default zeros. */
  init?: tf.Tensor;
  /** float32 `[N, H, W, 1]` or `[N, H, W, C]`: 1 where to sample, 0 where to keep `init`; default everywhere. */
  mask?: tf.Tensor;
  /** Softmax temperature `t` (`< 1` sharper, `> 1` more diverse); default 1. */
  temperature?: number;
  /** Random source (default: core's default generator). */
  generator?: Generator;
  /** Called after each sampled pixel position with `(done, total)` (progress bars). */
  onStep?: (done: number, total: number) => void;
}

/**
 * Draws images from an autoregressive model pixel by pixel in raster order:
 * at position `(i, j)` the model's logits give `p(x_ij | x_<ij)`, one value per
 * channel is drawn (Gumbel-max, seeded by `generator`), written into the image
 * and the next position is predicted from the updated image — `H·W` forward
 * passes. With `init` and `mask` it **inpaints**: positions where the mask is
 * 0 keep their known values and condition the sampled ones (positions whose
 * mask is 0 for the whole batch are skipped). Async: it yields to the event
 * loop between positions (and reads the mask once).
 *
 * @param model the model (see {@link AutoregressiveImageModel}).
 * @param shape `[N, H, W, C]` of the images to draw.
 * @param opts init, mask, temperature, generator, onStep.
 * @returns float32 `[N, H, W, C]` with integer values in `[0, K)`; the caller disposes it.
 * @example
 * ```ts
 * import { PixelCNN, sampleAutoregressive } from '@fovea/generative';
 * const model = new PixelCNN({ levels: 2, hiddenChannels: 16, numLayers: 2 });
 * const imgs = await sampleAutoregressive(model, [4, 8, 8, 1]); // [4, 8, 8, 1] of 0s and 1s
 * ```
 * @category Autoregressive
 */
export async function sampleAutoregressive(model: AutoregressiveImageModel, shape: readonly [number, number, number, number], opts: SampleAutoregressiveOptions = {}): Promise<tf.Tensor> {
  const op = 'sampleAutoregressive';
  if (typeof model?.forward !== 'function') throw new FoveaError({ op, arg: 'model', expected: 'a model with forward(x) → [N, H, W, C, K] logits', got: typeof model });
  const [n, h, w, c] = [0, 1, 2, 3].map((i) => checkSize(op, `shape[${i}]`, Array.isArray(shape) ? shape[i] : undefined, i === 0 ? 0 : 1)) as [number, number, number, number];
  const temperature = checkNumber(op, 'options.temperature', opts.temperature ?? 1, { gt: 0 });
  const gen = opts.generator ?? defaultGenerator();
  if (opts.init !== undefined) checkTensor(op, 'options.init', opts.init, { shape: [n, h, w, c], dtype: 'float32' });
  if (opts.mask !== undefined) {
    checkTensor(op, 'options.mask', opts.mask, { rank: 4, dtype: 'float32' });
    const ms = opts.mask.shape;
    if (ms[0] !== n || ms[1] !== h || ms[2] !== w || (ms[3] !== 1 && ms[3] !== c)) {
      throw new FoveaError({ op, arg: 'options.mask', expected: `shape [${n}, ${h}, ${w}, 1 or ${c}]`, got: `shape ${formatShape(ms)}` });
    }
  }
  const positions = await positionsToSample(opts.mask, [n, h, w]);
  let x = opts.init ? tf.clone(opts.init) : tf.zeros([n, h, w, c]);
  const mask = opts.mask ? tf.broadcastTo(opts.mask, [n, h, w, c]) : null;
  try {
    for (let p = 0; p < positions.length; p++) {
      const [i, j] = positions[p]!;
      const next = tf.tidy(() => samplePosition(model, x, i, j, temperature, gen, mask));
      x.dispose();
      x = next;
      opts.onStep?.(p + 1, positions.length);
      if (p % 8 === 7) await tf.nextFrame();
    }
  } finally {
    mask?.dispose();
  }
  return x;
}

/** Raster-order positions where any mask value is 1 (all positions without a mask). */
async function positionsToSample(mask: tf.Tensor | undefined, [n, h, w]: [number, number, number]): Promise<[number, number][]> {
  const out: [number, number][] = [];
  if (n === 0) return out;
  const m = mask ? ((await mask.data()) as Float32Array) : null;
  const mc = mask ? mask.shape[3]! : 1;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      let any = !m;
      for (let b = 0; m && !any && b < n; b++) for (let ch = 0; ch < mc && !any; ch++) any = m[((b * h + i) * w + j) * mc + ch]! !== 0;
      if (any) out.push([i, j]);
    }
  }
  return out;
}

/** Runs the model on `x` (rows `≤ i` for row-causal models) and writes one draw at `(i, j)` where the mask allows. */
function samplePosition(model: AutoregressiveImageModel, x: tf.Tensor, i: number, j: number, t: number, gen: Generator, mask: tf.Tensor | null): tf.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const input = model.rowCausal ? tf.slice(x, [0, 0, 0, 0], [n, i + 1, w, c]) : x; // [N, i+1 or H, W, C]
  const logits = model.forward(input); // [N, ·, W, C, K]
  const k = logits.shape[4]!;
  const here = tf.reshape(tf.slice(logits, [0, i, j, 0, 0], [n, 1, 1, c, k]), [n, c, k]); // [N, C, K]
  const drawn = tf.cast(sampleCategorical(here, t, gen), 'float32'); // [N, C]
  const at = tf.reshape(oneHot(tf.tensor1d([i * w + j], 'int32'), h * w), [1, h, w, 1]); // [1, H, W, 1]: 1 at (i, j)
  const write = mask ? tf.mul(at, mask) : at; // [N or 1, H, W, C or 1]
  const value = tf.reshape(drawn, [n, 1, 1, c]); // [N, 1, 1, C]
  return tf.add(x, tf.mul(write, tf.sub(value, x))); // x at (i, j) ← value where written
}

/**
 * Inpainting: keeps the pixels of `x` where `mask` is 0 and samples the
 * others from the model, conditioned on everything before them in raster
 * order — {@link sampleAutoregressive} with `init: x`. (An autoregressive
 * model only conditions on the known pixels **above and to the left** of each
 * missing one; masking the bottom half is the natural use.)
 *
 * @param model the model.
 * @param x float32 `[N, H, W, C]` images with integer values in `[0, K)`.
 * @param mask float32 `[N, H, W, 1]` or `[N, H, W, C]`: 1 = missing (to sample), 0 = known.
 * @param opts temperature, generator, onStep.
 * @returns `[N, H, W, C]` completed images; the caller disposes them.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PixelCNN, inpaint } from '@fovea/generative';
 * const model = new PixelCNN({ levels: 2, hiddenChannels: 16, numLayers: 2 });
 * const x = tf.zeros([2, 8, 8, 1]);
 * const bottom = tf.concat([tf.zeros([2, 4, 8, 1]), tf.ones([2, 4, 8, 1])], 1); // missing bottom half
 * const done = await inpaint(model, x, bottom); // top half kept, bottom half sampled
 * ```
 * @category Autoregressive
 */
export async function inpaint(model: AutoregressiveImageModel, x: tf.Tensor, mask: tf.Tensor, opts: Omit<SampleAutoregressiveOptions, 'init' | 'mask'> = {}): Promise<tf.Tensor> {
  checkTensor('inpaint', 'x', x, { rank: 4, dtype: 'float32' });
  checkTensor('inpaint', 'mask', mask, { rank: 4, dtype: 'float32' });
  return sampleAutoregressive(model, x.shape as [number, number, number, number], { ...opts, init: x, mask });
}
