import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GstOutputParser, spawnPipeline, type GstMessage, type GstProcess } from './process.js';
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
  it('reads the element, the reason and the debug line of a GStreamer error', () => {
    const seen: GstMessage[] = [];
    const parser = new GstOutputParser((m) => seen.push(m));
    parser.push('Setting pipeline to PAUSED ...\nERROR: from element /GstPipeline:pipeline0/GstV4l2Src:cam__v4l2src: Cannot identify device \'/dev/video9\'.\n');
    parser.push('Additional debug info:\n../sys/v4l2/v4l2_calls.c(609): gst_v4l2_open (): /GstPipeline:pipeline0/GstV4l2Src:cam__v4l2src:\nsystem error: No such file or directory\n');
    parser.flush();
    expect(seen[0]).toEqual({
      level: 'error',
      element: 'cam__v4l2src',
      text: "Cannot identify device '/dev/video9'.",
      debug: '../sys/v4l2/v4l2_calls.c(609): gst_v4l2_open (): /GstPipeline:pipeline0/GstV4l2Src:cam__v4l2src:',
    });
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
