/** A benchmark case: what to time, on which backends, and its PyTorch twin. */
export interface BenchCase {
  /** The op or workload, e.g. `nms` or `cnn-train-step`. */
  op: string;
  /** The problem size in words, e.g. `10000 boxes, iou 0.5`. */
  shape: string;
  /** Backends to time it on (default: all the harness runs). */
  backends?: ('wasm' | 'cpu' | 'webgpu')[];
  /** Untimed runs before timing (default 2). */
  warmup?: number;
  /** Timed runs; the median is reported (default 7, at least 5). */
  runs?: number;
  /**
   * Builds inputs (untimed) and returns the function to time. `run` must
   * finish its work before resolving (read results with `await t.data()` or
   * dispose them after `await`), and leave no tensors behind.
   */
  setup: () => Promise<BenchRun> | BenchRun;
  /** The PyTorch twin, timed in the same `pnpm bench` run when torch is installed. */
  torch?: TorchTwin;
}

/** What a {@link BenchCase} setup returns. */
export interface BenchRun {
  run: () => Promise<void> | void;
  dispose?: () => void;
}

/** Python snippets for the PyTorch side (torch, torchvision, numpy are imported). */
export interface TorchTwin {
  /** What the reference is, e.g. `torchvision.ops.nms`. */
  label: string;
  /** Untimed setup; variables it defines are visible to `run`. */
  setup: string;
  /** The timed statement(s). */
  run: string;
  /** Timed runs (default: the case's runs). */
  runs?: number;
}

/** A file's default export. */
export interface BenchSuite {
  /** The package, e.g. `detection`. */
  package: string;
  cases: BenchCase[];
}

/** One row of `out/bench/results.json`. */
export interface BenchRow {
  package: string;
  op: string;
  shape: string;
  backend: string;
  medianMs: number | null;
  /** Median process CPU time per run (user + system, all threads), ms. */
  cpuMedianMs?: number | null;
  runs: number;
  torch: { label: string; medianMs: number | null; cpuMedianMs?: number | null; settings: string } | null;
  /** fovea median / torch median (lower is better; < 1 means faster than PyTorch). */
  ratio: number | null;
  /**
   * fovea CPU time / torch CPU time per run: the cost in processor time,
   * which a loaded machine distorts far less than wall time (PyTorch's CPU
   * time counts both of its threads; single-threaded wasm's is about its wall
   * time on an idle core).
   */
  cpuRatio?: number | null;
  error?: string;
}
