let counted = 0;
let installed = false;

/**
 * Counts every GPUBuffer.mapAsync call in this worker from now on, whoever makes it (tfjs, ORT or
 * our kernels): each is a GPU buffer read back to the CPU. Only tests and benches turn it on.
 */
export function countReadbacks(): void {
  if (installed || typeof GPUBuffer === 'undefined') return;
  installed = true;
  const mapAsync = GPUBuffer.prototype.mapAsync;
  GPUBuffer.prototype.mapAsync = function (this: GPUBuffer, ...args: Parameters<GPUBuffer['mapAsync']>) {
    counted++;
    return mapAsync.apply(this, args);
  };
}

/** mapAsync calls so far; null when counting is off. */
export function readbacks(): number | null {
  return installed ? counted : null;
}
