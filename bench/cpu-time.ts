// CPU time a server's main thread has used, read from /proc (Linux). Node runs every request's JavaScript
// on that one thread, so its CPU time per request is what a route costs the server, whatever share of the
// same cores the load generator takes; undefined where /proc is not there to read.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks a second, in which /proc reports CPU times (nearly always 100). */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    let ticks = Number.NaN;
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {}
    ticksPerSecond = Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  }
  return ticksPerSecond;
}

/** Seconds of CPU (user and system) the process's main thread has used so far. */
export function mainThreadCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (name) state ppid ...": the name may hold spaces and parentheses, so count fields after its last ")".
  // utime and stime are fields 14 and 15 of the line, so the 12th and 13th after the name.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / clockTicksPerSecond() : undefined;
}
