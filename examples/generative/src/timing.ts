/** Timing for the examples' closing lines (their progress bars are @fovea/optim's StepProgress). */

/** Wall and CPU seconds since the process started, for the closing line (CPU time is what an idle machine would take). */
export function elapsed(t0: number): string {
  const cpu = process.cpuUsage();
  return `total time ${((Date.now() - t0) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`;
}
