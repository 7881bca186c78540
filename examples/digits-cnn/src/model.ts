/** The digits CNN of this example, built from @fovea/layers modules. */
import { ReLU, Sequential, type Generator } from '@fovea/core';
import { BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d } from '@fovea/layers';

/**
 * conv 3×3 (32) → BN → ReLU → max pool 2 → conv 3×3 (64) → BN → ReLU → max pool 2
 * → conv 3×3 (64) → BN → ReLU → flatten → dropout → dense 128 → ReLU → dropout
 * → dense `numClasses`.
 * Input `[N, 28, 28, 1]`, output `[N, numClasses]` logits. State-dict keys
 * follow the Sequential positions (`0.weight`, `1.running_mean`, …), as in PyTorch.
 */
export function digitsCnn(numClasses: number, generator: Generator, dropout = 0.3): Sequential {
  const gen = { generator };
  return new Sequential(
    new Conv2d(1, 32, 3, { padding: 1, bias: false, ...gen }), // [N, 28, 28, 32]
    new BatchNorm2d(32),
    new ReLU(),
    new MaxPool2d(2), // [N, 14, 14, 32]
    new Conv2d(32, 64, 3, { padding: 1, bias: false, ...gen }), // [N, 14, 14, 64]
    new BatchNorm2d(64),
    new ReLU(),
    new MaxPool2d(2), // [N, 7, 7, 64]
    new Conv2d(64, 64, 3, { padding: 1, bias: false, ...gen }), // [N, 7, 7, 64]
    new BatchNorm2d(64),
    new ReLU(),
    new Flatten(), // [N, 3136]
    new Dropout(dropout, gen),
    new Linear(7 * 7 * 64, 128, gen), // [N, 128]
    new ReLU(),
    new Dropout(dropout, gen),
    new Linear(128, numClasses, gen), // [N, numClasses]
  );
}
