// Test helper: the gst-launch-1.0 processes alive right now whose parent is this process.
import { readdirSync, readFileSync } from 'node:fs';

export function gstChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      if (comm.startsWith('gst-launch') && Number(fields[1]) === process.pid) pids.push(Number(entry));
    } catch {
      /* exited while we looked */
    }
  }
  return pids;
}
