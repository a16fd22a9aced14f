import { createServer } from 'node:net';
import { runNode } from '@rivulet/core/testing';
import { describe, expect, it } from 'vitest';
import { weriftWhipPublish } from '../test-support/werift-clients.js';
import { sfuRouterNode, type SfuRouterEvent } from './sfu-router.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function publishWhenUp(url: string, token: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const pub = await weriftWhipPublish(url, token);
      await new Promise((r) => setTimeout(r, 200));
      await pub.close();
      return;
    } catch (error) {
      if (!/ECONNREFUSED|fetch failed/.test(String((error as { cause?: unknown }).cause ?? error))) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('webrtc/sfu-router node', () => {
  it('serves WHIP on its port behind its token and reports a publisher coming and going on events', async () => {
    const port = await freePort();
    const publishing = publishWhenUp(`http://127.0.0.1:${port}/whip`, 'tok');
    const result = await runNode(sfuRouterNode, { params: { port, token: 'tok' }, take: { events: 2 }, timeoutMs: 10_000 });
    await publishing;
    const events = result.outputs.events as SfuRouterEvent[];
    expect(events.map((e) => e.type)).toEqual(['publisher-added', 'publisher-removed']);
    expect(events[0]?.whep).toBe(`http://127.0.0.1:${port}/whep/${events[0]?.publisherId}`);
    expect(events[0]?.codec).toBe('video/VP8');
  });

  it('refuses to listen on a non-loopback address without a token', async () => {
    const result = await runNode(sfuRouterNode, { params: { host: '0.0.0.0', port: 0 }, allowError: true, timeoutMs: 5_000 });
    expect(JSON.stringify(result.statuses)).toMatch(/not loopback; set a token/);
  });
});
