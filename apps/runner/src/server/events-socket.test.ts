// The event socket keeps a slow client's queue bounded: events are dropped for it and it is told once.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Subject } from 'rxjs';
import { afterEach, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { RuntimeEvent } from '@rivulet/core';
import { streamEvents } from './events-socket.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('drops events for a client that does not read, keeps its queue bounded and tells it once', async () => {
  const events = new Subject<RuntimeEvent>();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await once(wss, 'listening');
  const limit = 64 * 1024;
  const serverSide = new Promise<WebSocket>((resolve) =>
    wss.on('connection', (socket) => {
      streamEvents(socket, events, 'slow', limit);
      resolve(socket);
    }),
  );
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  cleanups.push(() => client.terminate());
  await once(client, 'open');
  const socket = await serverSide;

  // The client stops reading: the kernel buffers fill, then the server's queue would grow.
  (client as unknown as { _socket: { pause(): void } })._socket.pause();
  const message = 'x'.repeat(4096);
  let maxBuffered = 0;
  for (let i = 0; i < 5000; i++) {
    events.next({ type: 'log', graphId: i % 2 === 0 ? 'slow' : 'other', time: i, level: 'info', message });
    maxBuffered = Math.max(maxBuffered, socket.bufferedAmount);
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  // Bounded: never more than the limit plus one event and the notice over it.
  expect(maxBuffered).toBeGreaterThan(limit);
  expect(maxBuffered).toBeLessThan(limit + 2 * (message.length + 200));

  const frames: { type: string; graphId?: string }[] = [];
  client.on('message', (data) => frames.push(JSON.parse(String(data)) as { type: string; graphId?: string }));
  (client as unknown as { _socket: { resume(): void } })._socket.resume();
  const deadline = Date.now() + 5_000;
  while (frames.filter((frame) => frame.type === 'notice').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(frames.filter((frame) => frame.type === 'notice')).toHaveLength(1);
  const logs = frames.filter((frame) => frame.type === 'log');
  expect(logs.length).toBeLessThan(2500);
  expect(logs.every((frame) => frame.graphId === 'slow')).toBe(true);
});
