import { execFileSync } from 'node:child_process';

/** Resident memory (bytes) of this process's descendants (the browser and its helpers), from `ps`. */
export function descendantsRss(): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kib]) => [pid, kib * 1024]));
  let total = 0;
  const stack = [...(children.get(process.pid) ?? [])];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * Samples the browser's memory every `everyMs` until stopped; returns, in MiB, what it held when
 * the watch began (the floor: the page with its engine started) and the peak.
 */
export function watchPeakMemory(everyMs = 500): () => { beforeMiB: number; peakMiB: number } {
  const before = descendantsRss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, descendantsRss())), everyMs);
  return () => {
    clearInterval(timer);
    return { beforeMiB: mib(before), peakMiB: mib(Math.max(peak, descendantsRss())) };
  };
}
