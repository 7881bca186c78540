/**
 * The example of the "Loading PyTorch weights" guide: a torchvision ResNet
 * `BasicBlock` whose `state_dict` PyTorch saved as safetensors
 * (`fixtures/gen_basic_block.py`) is loaded into Fovea's `BasicBlock`, run
 * on the same input (converted NCHW → NHWC), compared with PyTorch's output,
 * and saved back as a safetensors file PyTorch loads
 * (`fixtures/check_fovea_block.py`). docs/test/examples.test.ts runs it.
 *
 *   npx tsx docs/examples/pytorch-weights.ts
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// #region imports
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, encodeSafetensors, initBackend, loadSafetensors, nchwToNhwc, nhwcToNchw, saveModule } from '@fovea/core';
import { BasicBlock } from '@fovea/layers';
// #endregion imports

/** A file next to this one, in `fixtures/`. */
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** What {@link run} measured. */
export interface WeightsResult {
  /** The state-dict keys, in PyTorch's order. */
  keys: string[];
  /** Largest |Fovea − PyTorch| over the block's output. */
  maxAbsError: number;
  /** The output shape in PyTorch's layout. */
  outputShape: number[];
  /** Where the block was saved. */
  savedTo: string;
  /** Keys of the in-memory safetensors round trip. */
  roundTripKeys: string[];
}

/** Loads, runs, compares and saves the block; returns what it measured. */
export async function run(outDir = tmpdir()): Promise<WeightsResult> {
  await initBackend();

  // #region load
  // torchvision: BasicBlock(16, 32, stride=2, downsample=Sequential(conv1x1(16, 32, stride=2), BatchNorm2d(32)))
  const block = new BasicBlock(16, 32, { stride: 2 }); // builds the same downsample branch: the shape changes
  const { tensors: stateDict } = await loadSafetensors(fixture('basic_block.safetensors'));
  block.loadStateDict(stateDict); // strict: every key, shape and dtype is checked before anything is written
  tf.dispose(Object.values(stateDict)); // loadStateDict copied them into the block's parameters
  block.eval(); // BatchNorm uses its running statistics, as after block.eval() in PyTorch
  // #endregion load

  const keys = tf.tidy(() => Object.keys(block.stateDict())); // the tidy frees the state dict's tensors

  // #region forward
  const { tensors: io } = await loadSafetensors(fixture('basic_block_io.safetensors'));
  const x = nchwToNhwc(io.x!); // PyTorch's [2, 16, 8, 8] → Fovea's [2, 8, 8, 16]
  const y = tf.tidy(() => nhwcToNchw(block.forward(x))); // [2, 4, 4, 32] → [2, 32, 4, 4], PyTorch's layout again
  const err = tf.tidy(() => tf.max(tf.abs(tf.sub(y, io.y!))));
  const maxAbsError = (await err.data())[0]!; // ≈ 1e-6: float32 rounding
  // #endregion forward
  const outputShape = [...y.shape];
  tf.dispose([x, y, err, ...Object.values(io)]);

  // #region save
  const savedTo = join(outDir, 'block-from-fovea.safetensors');
  await saveModule(block, savedTo); // PyTorch keys and layouts: torch loads it with load_state_dict
  // #endregion save

  // #region memory
  // In a browser there is no file system: encode to bytes (download them, or send them to a server) …
  const sd = block.stateDict(); // new tensors in PyTorch's layouts: conv weights [Cout, Cin, kH, kW]
  const bytes = await encodeSafetensors(sd, { format: 'pt' });
  tf.dispose(Object.values(sd));
  // … and decode bytes you fetched: `new Uint8Array(await (await fetch(url)).arrayBuffer())`.
  const { tensors } = decodeSafetensors(bytes);
  block.loadStateDict(tensors);
  // #endregion memory
  const roundTripKeys = Object.keys(tensors);
  tf.dispose(Object.values(tensors));
  block.dispose();
  return { keys, maxAbsError, outputShape, savedTo, roundTripKeys };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await run();
  console.log(`keys: ${r.keys.join(', ')}`);
  console.log(`output ${JSON.stringify(r.outputShape)}, max |Fovea − PyTorch| = ${r.maxAbsError.toExponential(2)}`);
  console.log(`saved to ${r.savedTo}: check it with /usr/bin/python3 docs/examples/fixtures/check_fovea_block.py ${r.savedTo}`);
}
