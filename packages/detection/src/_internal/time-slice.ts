/**
 * Cooperative time slicing for long CPU loops inside async ops (NMS,
 * Soft-NMS, region proposals): the loop asks {@link TimeSlicer.due} every few
 * iterations and, once a slice is spent, awaits {@link TimeSlicer.pause},
 * which yields to the event loop (a macrotask) so a browser's main thread
 * stays responsive.
 */
import { checkNumber } from '@fovea/core';

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

type Yield = () => Promise<void>;

function makeYield(): Yield {
  const g = globalThis as {
    setImmediate?: (f: () => void) => unknown;
    MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(v: unknown): void } };
  };
  if (typeof g.setImmediate === 'function') {
    const si = g.setImmediate;
    return () => new Promise<void>((r) => si(r));
  }
  if (typeof g.MessageChannel === 'function') {
    const ch = new g.MessageChannel();
    const queue: (() => void)[] = [];
    ch.port1.onmessage = () => queue.shift()?.();
    return () =>
      new Promise<void>((r) => {
        queue.push(r);
        ch.port2.postMessage(0);
      });
  }
  return () => new Promise<void>((r) => setTimeout(r, 0));
}

let yieldFn: Yield | null = null;

/** Default slice length: long enough to amortise the yield, short enough for a 60 Hz frame. */
export const DEFAULT_SLICE_MS = 12;

/** Validates a `sliceMs` option (a non-negative number of milliseconds) and returns a slicer. */
export function slicerFor(op: string, sliceMs: unknown): TimeSlicer {
  if (sliceMs === undefined) return new TimeSlicer();
  return new TimeSlicer(checkNumber(op, 'options.sliceMs', sliceMs, { min: 0 }));
}

/** Tracks how long the current slice has run. */
export class TimeSlicer {
  private start = now();
  /** Number of times the loop yielded (for tests). */
  yields = 0;

  constructor(private readonly sliceMs: number = DEFAULT_SLICE_MS) {}

  /** Whether the slice is spent (a cheap clock read). */
  due(): boolean {
    return now() - this.start >= this.sliceMs;
  }

  /** Yields to the event loop and starts a new slice. */
  async pause(): Promise<void> {
    yieldFn ??= makeYield();
    await yieldFn();
    this.yields++;
    this.start = now();
  }
}
