import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launchCommand, launchRequest, LauncherEventReader, MAX_DEBUG_CHARS, spawnPipeline, toGstMessage, type GstProcess, type GstSignal } from './process.js';
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

describe('launcher events', () => {
  it('reads the element, the reason and the debug text of a GStreamer error, on one line', () => {
    const message = toGstMessage({
      event: 'message',
      level: 'error',
      element: '/GstPipeline:pipeline0/GstV4l2Src:cam__v4l2src',
      text: "Cannot identify device '/dev/video9'.",
      debug: '../sys/v4l2/v4l2_calls.c(609): gst_v4l2_open (): /GstPipeline:pipeline0/GstV4l2Src:cam__v4l2src:\nsystem error: No such file or directory',
    });
    expect(message).toEqual({
      level: 'error',
      element: 'cam__v4l2src',
      text: "Cannot identify device '/dev/video9'.",
      debug: '../sys/v4l2/v4l2_calls.c(609): gst_v4l2_open (): /GstPipeline:pipeline0/GstV4l2Src:cam__v4l2src: system error: No such file or directory',
    });
  });

  it('bounds a long debug text and names the bin we created when an element inside it fails', () => {
    const message = toGstMessage({ event: 'message', level: 'warning', element: '/GstPipeline:pipeline0/GstDecodeBin:src__decodebin/GstTypeFindElement:typefind', text: 'x', debug: 'y'.repeat(5_000) });
    expect(message?.debug?.length).toBeLessThanOrEqual(MAX_DEBUG_CHARS);
    expect(message?.element).toBe('src__decodebin');
  });

  it('splits events across chunks and skips lines that are not events', () => {
    const seen: unknown[] = [];
    const reader = new LauncherEventReader((e) => seen.push(e));
    reader.push('(python3:1): GStreamer-WARNING **: noise\n{"event": "play');
    reader.push('ing"}\n{"not": "an event"}\n{broken\n{"event": "reply", "id": 1, "value": 2}\n');
    expect(seen).toEqual([{ event: 'playing' }, { event: 'reply', id: 1, value: 2 }]);
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

describe('the control channel', () => {
  const idrSlices = (bytes: Buffer): number => {
    let count = 0;
    for (let i = bytes.indexOf(Buffer.from([0, 0, 1])); i !== -1; i = bytes.indexOf(Buffer.from([0, 0, 1]), i + 3)) if ((bytes[i + 3]! & 0x1f) === 5) count++;
    return count;
  };

  it('reads and sets element properties while the pipeline runs, and names an unknown element', async () => {
    const child = run(['videotestsrc', 'is-live=true', '!', 'x264enc', 'name=enc', 'bitrate=700', '!', 'fakesink']);
    expect(await child.getProperty('enc', 'bitrate')).toBe(700);
    await child.setProperty('enc', 'bitrate', 900);
    expect(await child.getProperty('enc', 'bitrate')).toBe(900);
    await expect(child.getProperty('nope', 'bitrate')).rejects.toThrow(/no element named nope/);
  });

  it('makes an encoder emit a key frame on request, outside its key-frame interval', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rivulet-gst-'));
    try {
      const path = join(dir, 'out.h264');
      // One key frame in 1000 frames: any further one in these 2 s was asked for.
      const child = run([
        'videotestsrc', 'is-live=true', '!', 'video/x-raw,width=160,height=120,framerate=30/1', '!',
        'x264enc', 'name=enc', 'key-int-max=1000', 'tune=zerolatency', 'sliced-threads=false', '!', 'video/x-h264,stream-format=byte-stream', '!',
        ...elementTokens({ factory: 'filesink', props: { location: path } }),
      ]);
      await new Promise((r) => setTimeout(r, 800));
      for (let i = 0; i < 3; i++) {
        expect(await child.requestKeyFrame('enc')).toBe(true);
        await new Promise((r) => setTimeout(r, 300));
      }
      await child.stop(3_000);
      expect(idrSlices(readFileSync(path))).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an SRT caller connecting to a listener, and the listener\'s statistics', async () => {
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', () => resolve()));
    const srtPort = probe.address().port;
    probe.close();
    const signals: GstSignal[] = [];
    const listener = spawnPipeline({
      argv: ['videotestsrc', 'is-live=true', '!', 'x264enc', 'tune=zerolatency', '!', 'mpegtsmux', '!', 'srtsink', 'name=out', 'mode=listener', 'localaddress=127.0.0.1', `localport=${srtPort}`, 'wait-for-connection=false'],
      onSignal: (s) => signals.push(s),
    });
    children.push(listener);
    await new Promise((r) => setTimeout(r, 300));
    run(['srtsrc', `uri=srt://127.0.0.1:${srtPort}`, '!', 'fakesink']);
    const deadline = Date.now() + 5_000;
    while (!signals.some((s) => s.signal === 'caller-added') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(signals[0]).toMatchObject({ element: 'out', signal: 'caller-added' });
    expect(String(signals[0]?.args[1])).toMatch(/^127\.0\.0\.1:\d+$/);
    await new Promise((r) => setTimeout(r, 500));
    const stats = (await listener.getProperty('out', 'stats')) as { name: string; callers?: { 'bytes-sent'?: number }[] };
    expect(stats.name).toBe('application/x-srt-statistics');
    expect(stats.callers?.[0]?.['bytes-sent']).toBeGreaterThan(0);
  });

  it('tells the pipeline\'s base time on the monotonic clock Node shares, so Node can stamp in its running time', async () => {
    const child = run(['videotestsrc', 'is-live=true', '!', 'fakesink']);
    const deadline = Date.now() + 5_000;
    while (child.baseTime === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const running = process.hrtime.bigint() - child.baseTime!;
    expect(running).toBeGreaterThanOrEqual(0n);
    expect(running).toBeLessThan(5_000_000_000n);
  });

  it('keeps the description (and any passphrase in it) off the command line', async () => {
    const child = run(['videotestsrc', 'is-live=true', '!', 'identity', 'name=marker-7f3a', '!', 'fakesink']);
    await new Promise((r) => setTimeout(r, 200));
    expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')).not.toContain('marker-7f3a');
    expect(await child.getProperty('marker-7f3a', 'name')).toBe('marker-7f3a');
  });
});

describe('a machine without GStreamer\'s Python bindings', () => {
  it('fails the pipeline with an error that names the packages to install', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rivulet-py-'));
    // A Python that cannot see the system's site packages stands in for one without python3-gst-1.0.
    const python = join(dir, 'python-without-gi');
    writeFileSync(python, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 });
    const before = process.env['RIVULET_GST_PYTHON'];
    process.env['RIVULET_GST_PYTHON'] = python;
    try {
      const exit = await run(['videotestsrc', 'num-buffers=1', '!', 'fakesink']).exited;
      expect(exit.code).not.toBe(0);
      expect(exit.error?.text).toMatch(/needs Python's GStreamer bindings \(Debian: python3-gst-1\.0 gir1\.2-gstreamer-1\.0\)/);
    } finally {
      if (before === undefined) delete process.env['RIVULET_GST_PYTHON'];
      else process.env['RIVULET_GST_PYTHON'] = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a runtime that dies', () => {
  it('takes its pipelines with it, even when killed with SIGKILL', async () => {
    const { spawn: spawnNode } = await import('node:child_process');
    // A separate Node process stands in for the runtime: it launches a live pipeline exactly as
    // spawnPipeline does (same command, own process group) and prints its pid.
    const [file, args] = launchCommand();
    const request = launchRequest(['videotestsrc', 'is-live=true', '!', 'fakesink']);
    const script = `const c = require('node:child_process').spawn(${JSON.stringify(file)}, ${JSON.stringify(args)}, { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
      c.stdin.write(${JSON.stringify(request)}); process.stdout.write(String(c.pid)); setInterval(() => {}, 1000);`;
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
