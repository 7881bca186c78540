import { registerClassOnce } from './optimizer.js';
import { SGD } from './sgd.js';
import { Adagrad } from './adagrad.js';
import { RMSprop } from './rmsprop.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';

/**
 * Registers every Fovea optimizer with `tf.serialization`, so a tfjs-layers
 * model saved with one (`FoveaAdam`, ...) can be deserialized before any
 * optimizer was constructed. (Constructing an optimizer registers its class
 * too; importing the package registers nothing.)
 *
 * @example
 * ```ts
 * import { registerOptimizers } from '@fovea/optim';
 * registerOptimizers();
 * ```
 * @category Optimizers
 */
export function registerOptimizers(): void {
  for (const cls of [SGD, Adagrad, RMSprop, Adam, AdamW]) registerClassOnce(cls as never);
}
