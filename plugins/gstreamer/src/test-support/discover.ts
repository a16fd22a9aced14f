// Test helper: what gst-discoverer-1.0 says about a media file (codecs and duration).
import { execFile } from 'node:child_process';

export interface Discovered {
  readonly durationSec: number;
  readonly text: string;
}

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
