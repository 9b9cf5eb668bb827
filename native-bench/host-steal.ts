/**
 * CPU time the hypervisor gave to others while this virtual machine's CPUs had work: the `steal` column of Linux's
 * /proc/stat. On a shared VM a second busy vCPU is not a second core when the host is busy (round 27: two threads
 * spinning for 3 s lost 0–50 % of their time to steal, run to run), so a scaling figure means little without it.
 */
import { readFileSync } from 'node:fs';

/** Milliseconds of steal summed over every vCPU since boot, or null where /proc/stat has no such column. */
export function stolenMs(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  // "cpu  user nice system idle iowait irq softirq steal …", in USER_HZ ticks (100 a second on Linux).
  const fields = /^cpu\s+(.*)$/m.exec(stat)?.[1]?.split(/\s+/);
  const steal = Number(fields?.[7]);
  return Number.isFinite(steal) ? steal * 10 : null;
}
