// End to end: two werift peers find each other through each server, negotiate and exchange RTP media.
import { afterEach, describe, expect, it } from 'vitest';
import { namedStreamChannel, NamedStreamClient, roomChannel, RoomClient, sessionChannel, SessionClient, usersListChannel, UsersListClient, type SignalChannel } from '@rivulet/client';
import { wsFactory as factory } from './common/ws-factory.js';
import { NamedStreamServer } from './named-stream/server.js';
import { RoomServer } from './room/server.js';
import { werifCall } from './test-support/werift-call.js';
import { UsersListServer } from './users-list/server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function expectMediaCall(result: Awaited<ReturnType<typeof werifCall>>): void {
  expect(result.offerSdp).toMatch(/^v=0/);
  expect(result.offerSdp).toContain('m=video');
  expect(result.answerSdp).toContain('a=recvonly');
  expect(result.rtpPacketsReceived).toBeGreaterThanOrEqual(5);
}

function track(...channels: SignalChannel[]): void {
  for (const channel of channels) cleanups.push(() => channel.close());
}

describe('end to end with werift peers', () => {
  it('connects two peers through a room and streams RTP between them', async () => {
    const server = new RoomServer();
    cleanups.push(() => server.close());
    const { url } = await server.start({ port: 0 });
    const callee = roomChannel(await RoomClient.connect({ factory, url, uid: 'callee', room: 'call' }));
    const caller = roomChannel(await RoomClient.connect({ factory, url, uid: 'caller', room: 'call' }));
    track(callee, caller);
    expectMediaCall(await werifCall(caller, callee));
  });

  it('connects two peers through a 1-1 session and streams RTP between them', async () => {
    const server = new RoomServer();
    cleanups.push(() => server.close());
    const { url } = await server.start({ port: 0 });
    const callee = sessionChannel(await SessionClient.connect({ factory, url, uid: 'callee' }));
    const caller = sessionChannel(await SessionClient.connect({ factory, url, uid: 'caller', peer: 'callee' }));
    track(callee, caller);
    expectMediaCall(await werifCall(caller, callee));
  });

  it('connects a subscriber to a named-stream publisher and streams RTP from the publisher', async () => {
    const server = new NamedStreamServer();
    cleanups.push(() => server.close());
    const { url } = await server.start({ port: 0 });
    const subscriber = namedStreamChannel(await NamedStreamClient.connect({ factory, url, path: '/live/cam', mode: 'subscribe' }));
    const publisher = namedStreamChannel(await NamedStreamClient.connect({ factory, url, path: '/live/cam', mode: 'publish' }));
    track(subscriber, publisher);
    expectMediaCall(await werifCall(publisher, subscriber));
  });

  it('connects two users-list clients and streams RTP between them', async () => {
    const server = new UsersListServer();
    cleanups.push(() => server.close());
    const { url } = await server.start({ port: 0 });
    const callee = usersListChannel(await UsersListClient.connect({ factory, url }));
    const caller = usersListChannel(await UsersListClient.connect({ factory, url }));
    track(callee, caller);
    expectMediaCall(await werifCall(caller, callee));
  });
});
