// Is the machine quiet before the bench starts? Another process busy on the same cores (a build, a test run,
// a script left running) slows every figure the run measures, and nothing in the figures would say so.

import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Above this share of the machine's CPU time busy before the run, the results say the machine was not quiet. */
export const QUIET_BUSY_SHARE = 0.1;

/** The share (0..1) of all cores' time spent busy over the next `ms`, from /proc/stat; undefined without it. */
export async function machineBusyShare(ms = 1000): Promise<number | undefined> {
  const before = cpuTimes();
  await sleep(ms);
  const after = cpuTimes();
  if (!before || !after || after.total <= before.total) return undefined;
  return 1 - (after.idle - before.idle) / (after.total - before.total);
}

/** All cores' times, in clock ticks, from the "cpu" line of /proc/stat: in all, and idle (waiting for I/O too). */
function cpuTimes(): { total: number; idle: number } | undefined {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  } catch {
    return undefined;
  }
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice": guest time is counted in user already.
  const ticks = (line ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 5 || ticks.some((value) => !Number.isFinite(value))) return undefined;
  return { total: ticks.reduce((sum, value) => sum + value, 0), idle: (ticks[3] as number) + (ticks[4] as number) };
}
