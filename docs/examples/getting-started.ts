/**
 * The example of the "Getting started" guide: start a backend, make seeded
 * tensors, call a layer as a function and as a Module, read results
 * asynchronously, keep memory in check, handle a FoveaError, and round-trip
 * a state dict through safetensors bytes. docs/test/examples.test.ts runs it.
 *
 *   npx tsx --tsconfig docs/tsconfig.json docs/examples/getting-started.ts
 */
import { fileURLToPath } from 'node:url';
// #region imports
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, encodeSafetensors, initBackend, isFoveaError, manualSeed, randn, relu } from '@fovea/core';
import { Conv2d, conv2d } from '@fovea/layers';
// #endregion imports

/** What {@link run} printed, for the test. */
export interface GettingStartedResult {
  backend: string;
  summary: string;
  shape: number[];
  sameAsFunction: boolean;
  errorMessage: string;
  keys: string[];
  leaked: number;
}

/** Runs the guide's steps; returns what they produced. */
export async function run(): Promise<GettingStartedResult> {
  // #region backend
  const info = await initBackend(); // once, before any tensor work
  console.log(info.summary); // "backend wasm (webgpu skipped: no WebGPU adapter)" in Node without a GPU
  // #endregion backend
  const before = tf.memory().numTensors;

  // #region tensors
  manualSeed(0); // seeds core's default generator: init, dropout, shuffling, augmentation
  const x = randn([2, 28, 28, 1]); // images are channels-last: [N, H, W, C]
  const conv = new Conv2d(1, 8, 3, { padding: 1 }); // PyTorch's nn.Conv2d(1, 8, 3, padding=1)
  const y = tf.tidy(() => relu(conv.forward(x))); // [2, 28, 28, 8]; tidy frees conv's output, keeps relu's
  // #endregion tensors

  // #region functional
  // The Module is a thin wrapper: the function does the work.
  const same = tf.tidy(() => {
    const z = relu(conv2d(x, conv.weight, conv.bias, { padding: 1 })); // intermediates are freed by tf.tidy
    return tf.all(tf.equal(z, y)); // only the returned tensor survives
  });
  const sameAsFunction = (await same.data())[0] === 1; // await t.data(): works on WebGPU, never blocks
  // #endregion functional

  // #region errors
  let errorMessage = '';
  const nchw = tf.zeros([2, 1, 28, 28]); // a PyTorch-layout batch by mistake (nchwToNhwc converts it)
  try {
    conv.forward(nchw);
  } catch (e) {
    if (!isFoveaError(e)) throw e;
    errorMessage = e.message; // "conv2d: weight must be [kH, kW, Cin/groups, Cout] with Cin/groups = 28/1, got shape [3, 3, 1, 8] for x [2, 1, 28, 28]"
    console.log(e.op, e.arg); // "conv2d weight": the fields of the message, for programs
  } finally {
    nchw.dispose();
  }
  // #endregion errors

  // #region state
  const sd = conv.stateDict(); // PyTorch's keys and layouts: weight [8, 1, 3, 3], bias [8]
  const bytes = await encodeSafetensors(sd); // the file PyTorch's safetensors.torch.load_file reads
  tf.dispose(Object.values(sd));
  const copy = new Conv2d(1, 8, 3, { padding: 1 });
  const { tensors } = decodeSafetensors(bytes);
  copy.loadStateDict(tensors); // checks every key, shape and dtype first
  // #endregion state
  const keys = Object.keys(tensors);

  // #region dispose
  tf.dispose([x, y, same, ...Object.values(tensors)]);
  conv.dispose(); // Modules own their parameters
  copy.dispose();
  console.log(tf.memory().numTensors); // back to the count before the example: 0 here
  // #endregion dispose
  const leaked = tf.memory().numTensors - before;
  return { backend: info.backend, summary: info.summary, shape: [2, 28, 28, 8], sameAsFunction, errorMessage, keys, leaked };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await run());
}
