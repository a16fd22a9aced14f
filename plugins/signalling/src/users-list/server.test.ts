// Conformance suite for the users-list relay: real socket.io clients, plus raw engine.io frames for bad input.
import { io as connectIo, type Socket as IoClient } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendRawTextFrame, WireClient } from '../test-support/wire-client.js';
import { UsersListServer, type UsersListServerOptions } from './server.js';

let server: UsersListServer;
let url: string;
const sockets: IoClient[] = [];
const wires: WireClient[] = [];

async function start(options: UsersListServerOptions = {}): Promise<void> {
  server = new UsersListServer(options);
  url = (await server.start({ port: 0 })).url;
}

/** Resolves with the next value of an event, or rejects after timeoutMs. */
function nextEvent<T>(socket: IoClient, event: string, timeoutMs = 2_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

async function connect(transports: ('websocket' | 'polling')[] = ['websocket']): Promise<{ socket: IoClient; users: string[] }> {
  const socket = connectIo(url, { transports, reconnection: false, forceNew: true, timeout: 2_000 });
  sockets.push(socket);
  const users = nextEvent<string[]>(socket, 'usersList');
  await nextEvent(socket, 'connect');
  return { socket, users: await users };
}

/** A socket.io client spoken by hand over a raw WebSocket, for frames a real client never sends. */
async function wire(): Promise<WireClient> {
  return (await wireWithId()).client;
}

async function wireWithId(): Promise<{ client: WireClient; id: string }> {
  const client = await WireClient.connect(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  wires.push(client);
  expect((await client.next()).startsWith('0{')).toBe(true);
  client.send('40');
  const connected = await client.next();
  expect(connected.startsWith('40{')).toBe(true);
  expect((await client.next()).startsWith('42["usersList"')).toBe(true);
  return { client, id: (JSON.parse(connected.slice(2)) as { sid: string }).sid };
}

beforeEach(() => start());
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const client of wires.splice(0)) client.close();
  await server.close();
});

describe('users list', () => {
  it('broadcasts usersList to everyone on connect and on disconnect, in connection order', async () => {
    const a = await connect();
    expect(a.users).toEqual([a.socket.id]);
    const aHears = nextEvent<string[]>(a.socket, 'usersList');
    const b = await connect(['polling']);
    expect(b.users).toEqual([a.socket.id, b.socket.id]);
    expect(await aHears).toEqual([a.socket.id, b.socket.id]);
    const aHearsLeave = nextEvent<string[]>(a.socket, 'usersList');
    b.socket.disconnect();
    expect(await aHearsLeave).toEqual([a.socket.id]);
  });

  it('delivers a message with an id to that client only, unchanged', async () => {
    const a = await connect();
    const b = await connect();
    const c = await connect();
    const message = { type: 'offer', offer: { type: 'offer', sdp: 'v=0' }, id: b.socket.id, contact: a.socket.id };
    const got = nextEvent(b.socket, 'message');
    let cGot = false;
    c.socket.on('message', () => (cGot = true));
    a.socket.emit('message', message);
    expect(await got).toEqual(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cGot).toBe(false);
  });

  it('answers a message without an id, with an unknown id or that is not an object with an error event and keeps the client', async () => {
    const a = await connect();
    for (const [payload, code] of [[{ type: 'offer' }, 'missing-id'], [{ id: 'nobody' }, 'unknown-id'], [{ id: 'a b ü 😀' }, 'unknown-id'], [{ id: 42 }, 'missing-id'], ['text', 'not-an-object'], [[1, 2], 'not-an-object'], [null, 'not-an-object']] as const) {
      const error = nextEvent<{ code: string }>(a.socket, 'error');
      a.socket.emit('message', payload);
      expect((await error).code).toBe(code);
    }
    const b = await connect();
    const got = nextEvent(b.socket, 'message');
    a.socket.emit('message', { id: b.socket.id, ok: true });
    expect(await got).toEqual({ id: b.socket.id, ok: true });
  });

  it('writes a relayed message as socket.io encodes it: the event and its first argument, no ack id', async () => {
    const to = await wireWithId();
    const from = await wire();
    await to.client.next(); // usersList announcing the sender
    const message = { type: 'ice-candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMLineIndex: 0 }, id: to.id, contact: 'me' };
    const expected = `42${JSON.stringify(['message', message])}`;
    from.send(expected);
    expect(await to.client.next()).toBe(expected);
    from.send(`427${JSON.stringify(['message', message])}`);
    expect(await to.client.next()).toBe(expected);
    from.send(`42${JSON.stringify(['message', message, 'extra', 1])}`);
    expect(await to.client.next()).toBe(expected);
    from.send(`42["message", ${JSON.stringify(message)}]`);
    expect(await to.client.next()).toBe(expected);
  });

  it('relays between a long-polling client and a WebSocket client both ways, in order', async () => {
    const polling = await connect(['polling']);
    const ws = await connect();
    const toPolling = Array.from({ length: 50 }, (_, n) => ({ id: polling.socket.id, n }));
    const toWs = Array.from({ length: 50 }, (_, n) => ({ id: ws.socket.id, n, sdp: 'v=0\r\n' }));
    const collect = (socket: IoClient, count: number) =>
      new Promise<unknown[]>((resolve, reject) => {
        const got: unknown[] = [];
        const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} messages within 3000 ms`)), 3_000);
        socket.on('message', (message: unknown) => {
          if (got.push(message) === count) {
            clearTimeout(timer);
            resolve(got);
          }
        });
      });
    const pollingGot = collect(polling.socket, toPolling.length);
    const wsGot = collect(ws.socket, toWs.length);
    for (const message of toPolling) ws.socket.emit('message', message);
    for (const message of toWs) polling.socket.emit('message', message);
    expect(await pollingGot).toEqual(toPolling);
    expect(await wsGot).toEqual(toWs);
  });

  it('answers an unknown event with an error event', async () => {
    const a = await connect();
    const error = nextEvent<{ code: string }>(a.socket, 'error');
    a.socket.emit('dance', 1);
    expect((await error).code).toBe('unknown-event');
  });
});

describe('bad input', () => {
  it('closes a client sending a raw binary frame outside a packet and tells the others it left', async () => {
    const a = await connect();
    const joined = nextEvent<string[]>(a.socket, 'usersList');
    const raw = await wire();
    expect(await joined).toHaveLength(2);
    const left = nextEvent<string[]>(a.socket, 'usersList');
    raw.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    await raw.waitClosed();
    expect(await left).toEqual([a.socket.id]);
  });

  it('closes a client sending non-UTF-8 text with 1007', async () => {
    const raw = await wire();
    sendRawTextFrame(raw.ws, Buffer.from([0x34, 0x32, 0xff]));
    expect((await raw.waitClosed()).code).toBe(1007);
  });

  it('closes a client sending a packet over maxFrameBytes and keeps serving the others', async () => {
    await server.close();
    await start({ maxFrameBytes: 1024 });
    const a = await connect();
    const raw = await wire();
    raw.send(`42["message",{"id":"${a.socket.id}","x":"${'x'.repeat(4096)}"}]`);
    expect((await raw.waitClosed()).code).toBe(1009);
    await expect.poll(() => server.users.length).toBe(1);
    const b = await connect();
    expect(b.users).toEqual([a.socket.id, b.socket.id]);
  });

  it('answers malformed socket.io packets by closing only that client', async () => {
    const a = await connect();
    const raw = await wire();
    raw.send('42[not json');
    await raw.waitClosed();
    await expect.poll(() => server.users.length).toBe(1);
    const b = await connect();
    expect(b.users).toEqual([a.socket.id, b.socket.id]);
  });

  it('disconnects a flooding client and keeps relaying for the others', async () => {
    await server.close();
    await start({ maxMessagesPerSecond: 100 });
    const a = await connect();
    const b = await connect();
    const raw = await wire();
    for (let i = 0; i < 2_000; i++) raw.send(`42["message",{"id":"${a.socket.id}","n":${i}}]`);
    await raw.waitClosed(3_000);
    const got = nextEvent<{ ok: boolean }>(a.socket, 'message');
    b.socket.emit('message', { id: a.socket.id, ok: true });
    expect((await got).ok).toBe(true);
  });

  it('survives 10,000 random frames and still relays between new clients', async () => {
    await server.close();
    await start({ maxMessagesPerSecond: 1_000_000 });
    const fuzzers = await Promise.all([0, 1, 2, 3].map(() => wire()));
    const pieces = ['4', '2', '0', '1', '3', '6', '[', ']', '"message"', '"usersList"', ',', '{', '}', '"id"', ':', 'null', '"ü"', '-', '/'];
    let seed = 99;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let i = 0; i < 10_000; i++) {
      const fuzzer = fuzzers[i % fuzzers.length] as WireClient;
      if (fuzzer.closed) continue;
      const kind = rand(5);
      if (kind === 0) fuzzer.send(Buffer.from(Array.from({ length: rand(32) }, () => rand(256))));
      else if (kind === 1) fuzzer.send(`42["message",{"id":"x${rand(9)}","n":${i}}]`);
      else fuzzer.send(Array.from({ length: 1 + rand(10) }, () => pieces[rand(pieces.length)]).join(''));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const a = await connect();
    const b = await connect();
    const got = nextEvent(b.socket, 'message');
    a.socket.emit('message', { id: b.socket.id, after: 'fuzz' });
    expect(await got).toEqual({ id: b.socket.id, after: 'fuzz' });
  });
});
