import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GstOutputParser, launchCommand, MAX_DEBUG_CHARS, spawnPipeline, type GstMessage, type GstProcess } from './process.js';
import { elementTokens } from './syntax.js';

const children: GstProcess[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.stop(1_000)));
});
function run(argv: string[]) {
  const child = spawnPipeline({ argv });
  children.push(child);
  return child;
}

describe('GstOutputParser', () => {
  it('reads the element, the reason and every debug line of a GStreamer error', () => {
    const seen: GstMessage[] = [];
    const parser = new GstOutputParser((m) => seen.push(m));
    parser.push('Setting pipeline to PAUSED ...\nERROR: from element /GstPipeline:pipeline0/GstV4l2Src:cam__v4l2src: Cannot identify device \'/dev/video9\'.\n');
    parser.push('Additional debug info:\n../sys/v4l2/v4l2_calls.c(609): gst_v4l2_open (): /GstPipeline:pipeline0/GstV4l2Src:cam__v4l2src:\nsystem error: No such file or directory\n');
    parser.flush();
    expect(seen[0]).toEqual({
      level: 'error',
      element: 'cam__v4l2src',
      text: "Cannot identify device '/dev/video9'.",
      debug: '../sys/v4l2/v4l2_calls.c(609): gst_v4l2_open (): /GstPipeline:pipeline0/GstV4l2Src:cam__v4l2src: system error: No such file or directory',
    });
  });

  it('ends a one-line debug text at once and bounds a long one', () => {
    const seen: GstMessage[] = [];
    const parser = new GstOutputParser((m) => seen.push(m));
    parser.push('WARNING: from element /GstPipeline:pipeline0/GstSRTSrc:in__srt: Failed to authenticate: Incorrect passphrase. Trying to reconnect\nAdditional debug info:\n');
    parser.push('../ext/srt/gstsrtobject.c(1560): gst_srt_object_read (): /GstPipeline:pipeline0/GstSRTSrc:in__srt\n');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.debug).toBe('../ext/srt/gstsrtobject.c(1560): gst_srt_object_read (): /GstPipeline:pipeline0/GstSRTSrc:in__srt');
    parser.push(`ERROR: from element /GstPipeline:pipeline0/GstFakeSink:x: boom\nAdditional debug info:\nf.c(1): f (): /x:\n${'y'.repeat(5_000)}\n`);
    parser.flush();
    expect(seen[1]?.debug?.length).toBeLessThanOrEqual(MAX_DEBUG_CHARS);
    expect(seen[1]?.debug).toMatch(/^f\.c\(1\): f \(\): \/x: yyy/);
  });

  it('names the bin we created when a child element inside it fails', () => {
    const seen: GstMessage[] = [];
    const parser = new GstOutputParser((m) => seen.push(m));
    parser.push('ERROR: from element /GstPipeline:pipeline0/GstDecodeBin:src__decodebin/GstTypeFindElement:typefind: Could not determine type of stream.\n');
    parser.flush();
    expect(seen[0]?.element).toBe('src__decodebin');
  });
});

describe('spawnPipeline', () => {
  it('reports an erroneous description with GStreamer\'s reason and a failing exit code', async () => {
    const exit = await run(['videotestsrc', '!', 'nosuchelement']).exited;
    expect(exit.code).not.toBe(0);
    expect(exit.error?.text).toMatch(/erroneous pipeline: no element "nosuchelement"/);
  });

  it('keeps GStreamer\'s reason from the later debug lines, e.g. the address an SRT listener cannot bind', async () => {
    const blocker = createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(0, '127.0.0.1', () => resolve()));
    try {
      const busy = blocker.address().port;
      const exit = await run(['fakesrc', '!', 'srtsink', 'mode=listener', 'localaddress=127.0.0.1', `localport=${busy}`]).exited;
      expect(exit.error?.text).toMatch(/Could not open resource for writing/);
      expect(exit.error?.debug).toContain(`Failed to open SRT: Cannot bind to 127.0.0.1:${busy}`);
    } finally {
      blocker.close();
    }
  });

  it('passes a path with spaces, quotes and ! to GStreamer as one property value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rivulet-gst-'));
    try {
      const path = join(dir, 'a b "c" !d.raw');
      const exit = await run([...elementTokens({ factory: 'videotestsrc', props: { 'num-buffers': 2 } }), '!', 'video/x-raw,width=16,height=16', '!', ...elementTokens({ factory: 'filesink', props: { location: path } })]).exited;
      expect(exit.code).toBe(0);
      expect(readFileSync(path).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops a live pipeline with EOS, and kills it when EOS does not come in time', async () => {
    const child = run(['videotestsrc', 'is-live=true', '!', 'fakesink']);
    await new Promise((r) => setTimeout(r, 300));
    const exit = await child.stop(3_000);
    expect(exit.stopped).toBe(true);
    expect(exit.code).toBe(0);
    // An element stuck for 10 s on a buffer holds EOS back: stop must still end it within the bound.
    const stuck = run(['fakesrc', '!', 'identity', 'sleep-time=10000000', '!', 'fakesink']);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const killed = await stuck.stop(500);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(killed.stopped).toBe(true);
  });
});

describe('a runtime that dies', () => {
  it('takes its pipelines with it, even when killed with SIGKILL', async () => {
    const { spawn: spawnNode } = await import('node:child_process');
    // A separate Node process stands in for the runtime: it launches a live pipeline exactly as
    // spawnPipeline does (same command, own process group) and prints its pid.
    const [file, args] = launchCommand(['videotestsrc', 'is-live=true', '!', 'fakesink']);
    const script = `const c = require('node:child_process').spawn(${JSON.stringify(file)}, ${JSON.stringify(args)}, { detached: true, stdio: 'ignore' });
      process.stdout.write(String(c.pid)); setInterval(() => {}, 1000);`;
    const runtime = spawnNode(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const pid = await new Promise<number>((resolve, reject) => {
        runtime.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
        runtime.once('exit', () => reject(new Error('stand-in runtime exited early')));
        setTimeout(() => reject(new Error('no pid in 10 s')), 10_000);
      });
      const alive = (): boolean => {
        try {
          process.kill(pid, 0);
          return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
        } catch {
          return false;
        }
      };
      expect(alive()).toBe(true);
      runtime.kill('SIGKILL');
      const deadline = Date.now() + 5_000;
      while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(alive()).toBe(false);
    } finally {
      runtime.kill('SIGKILL');
    }
  });
});
