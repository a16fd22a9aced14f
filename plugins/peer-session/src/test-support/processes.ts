// Test helpers: this process's gst-launch children, their command lines, and what gst-discoverer says of a file.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** gst-launch-1.0 processes whose parent is this process. */
export function gstChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const parent = Number(stat.slice(close + 2).split(' ')[1]);
      if (comm.startsWith('gst-launch') && parent === process.pid) pids.push(Number(entry));
    } catch {
      /* exited while we looked */
    }
  }
  return pids;
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

export interface Discovered {
  readonly durationSec: number;
  readonly text: string;
}

export function discover(path: string): Promise<Discovered> {
  return new Promise((resolve, reject) => {
    execFile('gst-discoverer-1.0', [path], { timeout: 15_000 }, (error, stdout) => {
      if (error) return reject(new Error(`gst-discoverer-1.0 ${path}: ${error.message}\n${stdout}`));
      const d = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stdout);
      resolve({ durationSec: d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : Number.NaN, text: stdout });
    });
  });
}
