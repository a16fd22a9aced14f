// For tests and benches of GStreamer-based plugins: the pipeline children this process runs, their CPU, and what gst-discoverer says of a file.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface PipelineChild {
  readonly pid: number;
  /** `graph/node,node…`: the graph and the nodes the child's pipeline runs. */
  readonly label: string;
}

/** Launcher processes (one per running pipeline) whose parent is this process. */
export function pipelineChildren(parent = process.pid): PipelineChild[] {
  const children: PipelineChild[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!argv.some((arg) => arg.endsWith('rivulet-gst-launch.py'))) continue;
      const label = argv.find((arg) => arg.startsWith('--pipeline='))?.slice('--pipeline='.length) ?? '';
      children.push({ pid: Number(entry), label });
    } catch {
      /* exited while we looked */
    }
  }
  return children;
}

export interface Discovered {
  readonly durationSec: number;
  /** gst-discoverer's whole report (codecs, caps). */
  readonly text: string;
}

/** What gst-discoverer-1.0 says of a media file: its duration and report. */
export function discover(path: string): Promise<Discovered> {
  return new Promise((resolve, reject) => {
    execFile('gst-discoverer-1.0', [path], { timeout: 15_000 }, (error, stdout) => {
      if (error) return reject(new Error(`gst-discoverer-1.0 ${path}: ${error.message}\n${stdout}`));
      const d = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stdout);
      const durationSec = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : Number.NaN;
      resolve({ durationSec, text: stdout });
    });
  });
}

/**
 * On-CPU seconds of a process, all threads, from schedstat (nanoseconds): /proc/<pid>/stat counts
 * 10 ms ticks, too coarse for a few seconds of encoding. 0 once the process is gone.
 */
export function cpuSecondsOf(pid: number): number {
  let ns = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        /* thread ended between the listing and the read */
      }
    }
  } catch {
    /* process gone */
  }
  return ns / 1e9;
}
