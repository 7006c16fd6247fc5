// CPU time the hypervisor gave to other guests while a scenario ran (steal, in /proc/stat). On a shared virtual machine
// it explains a slow or jittery run that nothing in hookd caused, so each scenario reports it beside its figures.
import { readFileSync } from 'node:fs';

function cpuTimes(): { steal: number; total: number } {
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks over all cores.
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  return { steal: fields[7]!, total: fields.reduce((sum, value) => sum + value, 0) };
}

/** Starts counting; the function answers the share (%) of all CPU time stolen since. */
export function stealMeter(): () => number {
  const start = cpuTimes();
  return () => {
    const now = cpuTimes();
    const total = now.total - start.total;
    return total > 0 ? ((now.steal - start.steal) / total) * 100 : 0;
  };
}
