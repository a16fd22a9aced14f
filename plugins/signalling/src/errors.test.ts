// Error replies (`{ kind: 'error', code, reason }`) cross each protocol both ways, addressed like any other message.
import { firstValueFrom, filter, timeout } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { namedStreamChannel, NamedStreamClient, roomChannel, RoomClient, sessionChannel, SessionClient, usersListChannel, UsersListClient, type SignalChannel, type SignalMessage } from '@rivulet/client';
import { wsFactory as factory } from './common/ws-factory.js';
import { NamedStreamServer } from './named-stream/server.js';
import { RoomServer } from './room/server.js';
import { UsersListServer } from './users-list/server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function nextError(channel: SignalChannel): Promise<SignalMessage> {
  return firstValueFrom(channel.messages.pipe(filter((m) => m.kind === 'error'), timeout(5_000)));
}

function nextPeer(channel: SignalChannel): Promise<string> {
  return firstValueFrom(channel.messages.pipe(filter((m) => m.kind === 'peer-joined'), timeout(5_000))).then((m) => m.peer ?? '');
}

/** a → b: an error naming a's offer; b → a: one back. Each side sees the code, the reason and who sent it. */
async function roundTrip(a: SignalChannel, b: SignalChannel, aId: string | undefined, bId: string | undefined): Promise<void> {
  for (const c of [a, b]) cleanups.push(() => c.close());
  const atB = nextError(b);
  expect(a.send({ kind: 'error', ...(bId ? { peer: bId } : {}), code: 'bad-sdp', reason: 'malformed SDP offer: SDP must start with "v=0"' })).toBe(true);
  expect(await atB).toEqual({ kind: 'error', code: 'bad-sdp', reason: 'malformed SDP offer: SDP must start with "v=0"', ...(aId ? { peer: aId } : {}) });
  const atA = nextError(a);
  expect(b.send({ kind: 'error', ...(aId ? { peer: aId } : {}), code: 'stale-answer', reason: 'answer without a pending offer' })).toBe(true);
  expect(await atA).toEqual({ kind: 'error', code: 'stale-answer', reason: 'answer without a pending offer', ...(bId ? { peer: bId } : {}) });
}

describe('error messages through each signalling protocol', () => {
  it('crosses a room as ROOM_PEER_MSG <uid> ERROR <code>: <reason>, both ways', async () => {
    const server = new RoomServer();
    cleanups.push(() => server.close());
    const { url } = await server.start({ port: 0 });
    const b = roomChannel(await RoomClient.connect({ factory, url, uid: 'bob', room: 'r' }));
    const joined = nextPeer(b);
    const a = roomChannel(await RoomClient.connect({ factory, url, uid: 'ann', room: 'r' }));
    await joined;
    await roundTrip(a, b, 'ann', 'bob');
  });

  it('crosses a 1-1 session as a verbatim ERROR text, both ways', async () => {
    const server = new RoomServer();
    cleanups.push(() => server.close());
    const { url } = await server.start({ port: 0 });
    const b = sessionChannel(await SessionClient.connect({ factory, url, uid: 'bob' }));
    const a = sessionChannel(await SessionClient.connect({ factory, url, uid: 'ann', peer: 'bob' }));
    // The callee learns who called only from what arrives: it has no peer id, the caller knows bob.
    await roundTrip(a, b, undefined, 'bob');
  });

  it('crosses a named stream as NOTIFY data { type: "error", code, reason }, both ways', async () => {
    const server = new NamedStreamServer();
    cleanups.push(() => server.close());
    const { url } = await server.start({ port: 0 });
    const publisher = namedStreamChannel(await NamedStreamClient.connect({ factory, url, path: '/live/e', mode: 'publish' }));
    const seen = nextPeer(publisher);
    const subscriberClient = await NamedStreamClient.connect({ factory, url, path: '/live/e', mode: 'subscribe' });
    const subscriber = namedStreamChannel(subscriberClient);
    const subscriberId = await seen;
    const publisherClientId = await firstValueFrom(subscriber.messages.pipe(filter((m) => m.kind === 'peer-joined'), timeout(5_000))).then((m) => m.peer ?? '');
    await roundTrip(subscriber, publisher, subscriberId, publisherClientId);
    expect(subscriberClient.id).toBe(subscriberId);
  });

  it('crosses a users-list relay as a message { type: "error", code, reason, id, contact }, both ways', async () => {
    const server = new UsersListServer();
    cleanups.push(() => server.close());
    const { url } = await server.start({ port: 0 });
    const bClient = await UsersListClient.connect({ factory, url });
    const b = usersListChannel(bClient);
    const joined = nextPeer(b);
    const aClient = await UsersListClient.connect({ factory, url });
    const a = usersListChannel(aClient);
    await joined;
    await roundTrip(a, b, aClient.id, bClient.id);
  });

  it("reports the server's own ERROR text as an error with code server", async () => {
    const server = new RoomServer();
    cleanups.push(() => server.close());
    const { url } = await server.start({ port: 0 });
    const a = roomChannel(await RoomClient.connect({ factory, url, uid: 'ann', room: 'r' }));
    cleanups.push(() => a.close());
    const error = nextError(a);
    a.send({ kind: 'offer', peer: 'nobody', sdp: 'v=0' });
    expect(await error).toEqual({ kind: 'error', code: 'server', reason: "ERROR peer 'nobody' not found" });
  });
});
