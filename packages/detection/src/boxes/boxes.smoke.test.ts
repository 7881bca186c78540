import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { close, read, scoped } from '../../test/helpers.js';
import { boxArea } from './box-area.js';
import { boxConvert } from './box-convert.js';
import { clipBoxesToImage } from './clip-boxes-to-image.js';
import { masksToBoxes } from './masks-to-boxes.js';
import { removeSmallBoxes } from './remove-small-boxes.js';

describe(`box ops on ${tf.getBackend()}`, () => {
  it('convert, area, clip, remove small, masks to boxes', () =>
    scoped(async () => {
      const b = tf.tensor2d([[10, 20, 30, 60], [-5, 0, 3, 1]]);
      close(await read(boxConvert(b, 'xyxy', 'cxcywh')), [20, 40, 20, 40, -1, 0.5, 8, 1]);
      close(await read(boxArea(b)), [800, 8]);
      close(await read(clipBoxesToImage(b, [50, 25])), [10, 20, 25, 50, 0, 0, 3, 1]);
      expect(await read(await removeSmallBoxes(b, 2))).toEqual([0]);
      const m = tf.tensor3d(new Uint8Array([0, 1, 1, 0, 0, 1]), [1, 2, 3], 'bool');
      close(await read(await masksToBoxes(m)), [1, 0, 2, 1]);
    }));
});
