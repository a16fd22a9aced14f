// The fuser keeps secrets out of explain text, logs and errors, maps GStreamer messages to node status, and rate-limits repeated warnings.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { SECRET_MASK } from '@rivulet/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFused, explainGroup } from './fuser.js';
import { defineGstNode } from './gst/define.js';
import { spawnPipeline, type GstProcess } from './gst/process.js';
import { pipelineChildren } from './testing.js';
import { makeGroup, recordingContext } from './test-support/group.js';

const SECRET = 'fuser-test-passphrase';

/** An SRT caller into a fakesink; its passphrase is a secret property, and it reads auth failures as a status. */
const caller = defineGstNode({
  type: 'test/srt-caller',
  title: 'SRT caller',
  category: 'test',
  params: z.object({ port: z.number(), passphrase: z.string(), pbkeylen: z.union([z.number(), z.string()]).default(16) }),
  elements: ['srtsrc'],
  fragment: (p) => ({
    chain: [
      {
        factory: 'srtsrc',
        role: 'srt',
        secret: ['passphrase', 'pbkeylen'],
        props: { mode: 'caller', uri: `srt://127.0.0.1:${p.port}`, passphrase: p.passphrase, pbkeylen: p.pbkeylen, 'auto-reconnect': true },
      },
      { factory: 'fakesink', props: { sync: false } },
    ],
    status: (message) => (/Incorrect passphrase/.test(message.text) ? { state: 'error', text: 'authentication failed' } : undefined),
  }),
});

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function listener(port: number, passphrase: string): GstProcess {
  const child = spawnPipeline({
    argv: ['audiotestsrc', 'is-live=true', '!', 'opusenc', '!', 'mpegtsmux', '!', 'srtsink', 'mode=listener', 'localaddress=127.0.0.1', `localport=${port}`, `passphrase=${passphrase}`, 'pbkeylen=16', 'sync=false'],
  });
  cleanups.push(() => child.stop(2_000));
  return child;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

describe('gstreamer fuser', () => {
  it('masks secret properties in explain text and logs while the child gets the real value, reads a wrong passphrase as the node status, and logs repeated warnings once', async () => {
    const port = await freeUdpPort();
    listener(port, 'the-listener-passphrase');
    const group = makeGroup([{ id: 'in', def: caller, params: { port, passphrase: SECRET } }]);
    expect(explainGroup(group)).not.toContain(SECRET);
    expect(explainGroup(group)).toContain(`passphrase="${SECRET_MASK}"`);

    const ctx = recordingContext(group);
    const instance = await createFused(ctx);
    cleanups.push(() => instance.dispose?.());
    const authFailures = (): string[] => ctx.logs.filter((l) => l.startsWith('warn:') && /Incorrect passphrase/.test(l));
    await until(() => ctx.statuses.some((s) => s.state === 'error'), 8_000, 'the authentication failure status');
    expect(ctx.statuses.find((s) => s.state === 'error')).toEqual({ node: 'in', state: 'error', text: 'authentication failed' });
    // The description travels over the launcher's stdin: not even the child's command line shows it.
    const children = pipelineChildren().filter((c) => c.label.endsWith('/in'));
    expect(children).toHaveLength(1);
    expect(readFileSync(`/proc/${children[0]!.pid}/cmdline`, 'utf8')).not.toContain(SECRET);
    // srtsrc warns about every failed attempt (about one a second); the log keeps the first.
    await sleep(2_500);
    expect(authFailures()).toHaveLength(1);
    await instance.dispose?.();
    expect(authFailures()).toHaveLength(2);
    expect(authFailures()[1]).toMatch(/… repeated \d+ times? in \d+ s$/);
    expect(ctx.failures).toEqual([]);
    for (const line of ctx.logs) expect(line).not.toContain(SECRET);
  }, 20_000);

  it('masks a secret GStreamer quotes back in the error that ends a pipeline', async () => {
    // pbkeylen takes a number: GStreamer refuses the string and echoes it in its error.
    const group = makeGroup([{ id: 'in', def: caller, params: { port: 9, passphrase: SECRET, pbkeylen: 'leaky-secret-value' } }]);
    const ctx = recordingContext(group);
    const instance = await createFused(ctx);
    cleanups.push(() => instance.dispose?.());
    await until(() => ctx.failures.length > 0, 8_000, 'the pipeline to fail');
    const failure = ctx.failures[0] as Error;
    expect(failure.message).toMatch(/^node in \(test\/srt-caller\)/);
    expect(failure.message).toContain(SECRET_MASK);
    const shown = [failure.message, ...ctx.logs, ...ctx.statuses.map((s) => s.text ?? '')].join('\n');
    expect(shown).not.toContain('leaky-secret-value');
    expect(shown).not.toContain(SECRET);
  }, 15_000);
});
