/**
 * Runs before every test file: starts the backend the lane asks for
 * (`FOVEA_BACKEND`) and checks, around every test, that no tensors leaked.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@fovea/core';
import { afterEach, beforeEach } from 'vitest';

await initBackend();

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(`tensor leak: ${after - before} tensor(s) more after the test than before (${before} → ${after})`);
  }
});
