// placeholder until the kernel work lands (helper writes the real file)
export function registerWasmKernels(): void {}
export function registerCpuKernels(): void {}
