import * as tf from '@tensorflow/tfjs-core';
import { FoveaError, Module, checkTensor, formatShape, type Generator } from '@fovea/core';
import { Linear } from '@fovea/layers';
import { checkSize, genOpt } from '../_internal/args.js';
import { glimpseSensor, resolveSensor, type GlimpseSensorOptions } from './glimpse-sensor.js';

/** Options of {@link GlimpseNetwork}. @category Recurrent attention */
export interface GlimpseNetworkOptions extends GlimpseSensorOptions {
  /** Image channels `C`; default 1. */
  channels?: number;
  /** Width of the "what" features of the glimpse; default 128. */
  glimpseHidden?: number;
  /** Width of the "where" features of the location; default 128. */
  locationHidden?: number;
  /** Width `G` of the glimpse feature vector; default 256. */
  outputSize?: number;
  /** Random source for the initial weights (default: core's default generator). */
  generator?: Generator;
}

/**
 * The glimpse network of the recurrent attention model: combines *what* the
 * sensor saw and *where* it looked,
 * `g = relu(what(relu(glimpse(ρ(x, l)))) + where(relu(location(l))))`, with
 * `ρ` the {@link glimpseSensor} and four `Linear` layers (`glimpse`,
 * `location`, `what`, `where`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GlimpseNetwork } from '@fovea/attention';
 * const net = new GlimpseNetwork({ size: 12, depth: 3, scale: 2 });
 * net.forward(tf.zeros([4, 60, 60, 1]), tf.zeros([4, 2])).shape; // [4, 256]
 * ```
 * @category Recurrent attention
 */
export class GlimpseNetwork extends Module<[tf.Tensor, tf.Tensor], tf.Tensor2D> {
  /** The resolved sensor settings (size, depth, scale). */
  readonly sensor: Required<GlimpseSensorOptions>;
  /** `C`, the image channels. */
  readonly channels: number;
  /** `G`, the width of the glimpse features. */
  readonly outputSize: number;
  /** The "what" encoder of the flattened glimpse (`glimpse`). */
  readonly glimpse: Linear;
  /** The "where" encoder of the location (`location`). */
  readonly location: Linear;
  /** Maps the glimpse features to `G` (`what`). */
  readonly what: Linear;
  /** Maps the location features to `G` (`where`). */
  readonly where: Linear;

  /** @param opts sensor (size, depth, scale), channels, widths, generator. */
  constructor(opts: GlimpseNetworkOptions = {}) {
    super();
    const op = 'GlimpseNetwork';
    this.sensor = resolveSensor(op, opts);
    this.channels = checkSize(op, 'options.channels', opts.channels ?? 1);
    const hg = checkSize(op, 'options.glimpseHidden', opts.glimpseHidden ?? 128);
    const hl = checkSize(op, 'options.locationHidden', opts.locationHidden ?? 128);
    this.outputSize = checkSize(op, 'options.outputSize', opts.outputSize ?? 256);
    const gen = genOpt(opts.generator);
    const { size, depth } = this.sensor;
    this.glimpse = this.registerModule('glimpse', new Linear(size * size * depth * this.channels, hg, gen));
    this.location = this.registerModule('location', new Linear(2, hl, gen));
    this.what = this.registerModule('what', new Linear(hg, this.outputSize, gen));
    this.where = this.registerModule('where', new Linear(hl, this.outputSize, gen));
  }

  /** `images [B, H, W, C]`, `locations [B, 2]` → glimpse features `[B, G]`. */
  forward(images: tf.Tensor, locations: tf.Tensor): tf.Tensor2D {
    checkTensor('GlimpseNetwork.forward', 'images', images, { rank: 4, dtype: 'float32' });
    if (images.shape[3] !== this.channels) {
      throw new FoveaError({ op: 'GlimpseNetwork.forward', arg: 'images', expected: `[B, H, W, ${this.channels}]`, got: `shape ${formatShape(images.shape)}` });
    }
    return tf.tidy(() => {
      const b = images.shape[0]!;
      const seen = tf.reshape(glimpseSensor(images, locations, this.sensor), [b, -1]); // [B, k·g·g·C]
      const what = this.what.forward(tf.relu(this.glimpse.forward(seen))); // [B, G]
      const where = this.where.forward(tf.relu(this.location.forward(locations))); // [B, G]
      return tf.relu(tf.add(what, where)) as tf.Tensor2D;
    });
  }
}
