/**
 * Runs before every test file: starts the backend the lane asks for
 * (`FOVEA_BACKEND`) and checks, around every test, that no tensors leaked.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@fovea/core';
import { afterEach, beforeEach } from 'vitest';

const info = await initBackend();
// the webgpu lane tests the GPU kernels: don't let small inputs fall back to CPU kernels
if (info.backend === 'webgpu') tf.env().set('WEBGPU_CPU_FORWARD', false);

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') return; // the failure is the report; its tensors are collateral
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(`tensor leak: ${after - before} tensor(s) more after the test than before (${before} → ${after})`);
  }
});
