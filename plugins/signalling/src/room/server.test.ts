// Conformance suite for the room/session protocol over real WebSockets on 127.0.0.1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendRawTextFrame, WireClient } from '../test-support/wire-client.js';
import { RoomServer, type RoomServerOptions } from './server.js';

let server: RoomServer;
let url: string;
const clients: WireClient[] = [];

async function start(options: RoomServerOptions = {}): Promise<void> {
  server = new RoomServer(options);
  url = (await server.start({ port: 0 })).url;
}

async function connect(): Promise<WireClient> {
  const client = await WireClient.connect(url);
  clients.push(client);
  return client;
}

async function hello(uid: string): Promise<WireClient> {
  const client = await connect();
  client.send(`HELLO ${uid}`);
  expect(await client.next()).toBe('HELLO');
  return client;
}

async function inRoom(uid: string, room: string): Promise<WireClient> {
  const client = await hello(uid);
  client.send(`ROOM ${room}`);
  expect(await client.next()).toMatch(/^ROOM_OK /);
  return client;
}

beforeEach(() => start());
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

describe('registration', () => {
  it('answers HELLO <uid> with HELLO', async () => {
    await hello('alice');
    expect(server.peerCount).toBe(1);
  });

  it('accepts unicode ids without whitespace', async () => {
    await hello('ünï-😀');
  });

  it('closes with 1002 "invalid protocol" when the first message is not HELLO', async () => {
    const client = await connect();
    client.send('HI there');
    expect(await client.waitClosed()).toEqual({ code: 1002, reason: 'invalid protocol' });
  });

  it('closes with 1002 "invalid peer uid" for a taken uid or a uid with spaces', async () => {
    await hello('taken');
    for (const text of ['HELLO taken', 'HELLO two words', 'HELLO a\u2003b']) {
      const client = await connect();
      client.send(text);
      expect(await client.waitClosed()).toEqual({ code: 1002, reason: 'invalid peer uid' });
    }
  });

  it('frees the uid when the peer disconnects', async () => {
    const first = await hello('again');
    first.close();
    await first.waitClosed();
    await expect.poll(() => server.peerCount).toBe(0);
    await hello('again');
  });

  it('answers the health path over plain HTTP', async () => {
    const res = await fetch(`${url.replace('ws:', 'http:')}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK\n');
  });
});

describe('sessions', () => {
  it('answers SESSION with SESSION_OK and relays every message verbatim both ways', async () => {
    const caller = await hello('caller');
    const callee = await hello('callee');
    caller.send('SESSION callee');
    expect(await caller.next()).toBe('SESSION_OK');
    const offer = JSON.stringify({ sdp: { type: 'offer', sdp: 'v=0\r\n' } });
    caller.send(offer);
    expect(await callee.next()).toBe(offer);
    callee.send('ROOM not-a-command-in-a-session');
    expect(await caller.next()).toBe('ROOM not-a-command-in-a-session');
    callee.send(Buffer.from([0, 1, 2]));
    const frame = await caller.nextFrame();
    expect(frame.binary).toBe(true);
  });

  it('ends the session by closing the other peer when one side disconnects', async () => {
    const caller = await hello('c1');
    const callee = await hello('c2');
    caller.send('SESSION c2');
    await caller.next();
    caller.close();
    expect((await callee.waitClosed()).code).toBe(1000);
    await expect.poll(() => server.peerCount).toBe(0);
  });

  it('answers an unknown callee with ERROR peer \'x\' not found', async () => {
    const caller = await hello('lonely');
    caller.send('SESSION nobody');
    expect(await caller.next()).toBe("ERROR peer 'nobody' not found");
  });

  it('refuses a callee that is already busy, and a session with oneself', async () => {
    const a = await hello('a');
    await hello('b');
    const c = await hello('c');
    a.send('SESSION b');
    expect(await a.next()).toBe('SESSION_OK');
    c.send('SESSION b');
    expect(await c.next()).toBe("ERROR peer 'b' busy");
    c.send('SESSION c');
    expect(await c.next()).toBe("ERROR peer 'c' busy");
  });
});

describe('rooms', () => {
  it('answers ROOM with "ROOM_OK " for a new room and lists the members already there', async () => {
    const a = await hello('a');
    a.send('ROOM r1');
    expect(await a.next()).toBe('ROOM_OK ');
    const b = await hello('b');
    b.send('ROOM r1');
    expect(await b.next()).toBe('ROOM_OK a');
    expect(await a.next()).toBe('ROOM_PEER_JOINED b');
    const c = await hello('c');
    c.send('ROOM r1');
    expect((await c.next()).split(' ').slice(1).sort()).toEqual(['a', 'b']);
  });

  it('delivers ROOM_PEER_MSG <to> <msg> as ROOM_PEER_MSG <from> <msg>, keeping inner spaces', async () => {
    const a = await inRoom('a', 'r');
    const b = await inRoom('b', 'r');
    await a.next();
    a.send('ROOM_PEER_MSG b {"ice": {"candidate": "x y z", "sdpMLineIndex": 0}}');
    expect(await b.next()).toBe('ROOM_PEER_MSG a {"ice": {"candidate": "x y z", "sdpMLineIndex": 0}}');
  });

  it('answers the original ERROR texts for unknown peers, peers in other rooms and other commands', async () => {
    const a = await inRoom('a', 'r');
    await inRoom('elsewhere', 'other');
    a.send('ROOM_PEER_MSG ghost hi');
    expect(await a.next()).toBe("ERROR peer 'ghost' not found");
    a.send('ROOM_PEER_MSG elsewhere hi');
    expect(await a.next()).toBe("ERROR peer 'elsewhere' is not in the room");
    a.send('ROOM again');
    expect(await a.next()).toBe('ERROR invalid msg, already in room');
    a.send('ROOM_PEER_MSG b');
    expect(await a.next()).toMatch(/^ERROR invalid ROOM_PEER_MSG/);
  });

  it('answers ROOM_PEER_LIST with the other members (where the original crashes)', async () => {
    const a = await inRoom('a', 'r');
    a.send('ROOM_PEER_LIST');
    expect(await a.next()).toBe('ROOM_PEER_LIST ');
    await inRoom('b', 'r');
    expect(await a.next()).toBe('ROOM_PEER_JOINED b');
    a.send('ROOM_PEER_LIST');
    expect(await a.next()).toBe('ROOM_PEER_LIST b');
  });

  it('answers a bare ROOM, a room named session and room commands outside a room with ERROR and stays usable', async () => {
    const a = await hello('a');
    a.send('ROOM');
    expect(await a.next()).toBe("ERROR invalid room id ''");
    a.send('ROOM session');
    expect(await a.next()).toBe("ERROR invalid room id 'session'");
    a.send('ROOM_PEER_LIST');
    expect(await a.next()).toBe("ERROR peer 'a' is not in a room");
    a.send('ROOM_PEER_MSG b hi');
    expect(await a.next()).toBe("ERROR peer 'a' is not in a room");
    a.send('ROOM ok');
    expect(await a.next()).toBe('ROOM_OK ');
  });

  it('tells the remaining members ROOM_PEER_LEFT when a peer disconnects', async () => {
    const a = await inRoom('a', 'r');
    const b = await inRoom('b', 'r');
    await a.next();
    b.close();
    expect(await a.next()).toBe('ROOM_PEER_LEFT b');
  });
});

describe('bad input', () => {
  it('answers unknown commands and binary frames outside a session with ERROR', async () => {
    const a = await hello('a');
    a.send('DANCE now');
    expect(await a.next()).toBe("ERROR unknown command 'DANCE'");
    a.send(Buffer.from([0xff, 0x00]));
    expect(await a.next()).toMatch(/^ERROR binary/);
  });

  it('closes a client sending non-UTF-8 text with 1007 and keeps serving the others', async () => {
    const a = await inRoom('a', 'r');
    const b = await inRoom('b', 'r');
    await a.next();
    sendRawTextFrame(b.ws, Buffer.from([0xc3, 0x28, 0xff]));
    expect((await b.waitClosed()).code).toBe(1007);
    expect(await a.next()).toBe('ROOM_PEER_LEFT b');
    a.send('ROOM_PEER_LIST');
    expect(await a.next()).toBe('ROOM_PEER_LIST ');
  });

  it('closes a client sending a frame over maxFrameBytes with 1009', async () => {
    await server.close();
    await start({ maxFrameBytes: 1024 });
    const a = await hello('a');
    const other = await hello('other');
    a.send(`ROOM ${'x'.repeat(2048)}`);
    expect((await a.waitClosed()).code).toBe(1009);
    other.send('ROOM fine');
    expect(await other.next()).toBe('ROOM_OK ');
  });

  it('closes a flooding client with 1008 while a quiet client in the same room is served', async () => {
    await server.close();
    await start({ maxMessagesPerSecond: 100 });
    const quiet = await inRoom('quiet', 'r');
    const flood = await inRoom('flood', 'r');
    await quiet.next();
    for (let i = 0; i < 2_000; i++) flood.send('ROOM_PEER_LIST');
    expect((await flood.waitClosed()).code).toBe(1008);
    expect(await quiet.next()).toBe('ROOM_PEER_LEFT flood');
    quiet.send('ROOM_PEER_LIST');
    expect(await quiet.next()).toBe('ROOM_PEER_LIST ');
  });

  it('sends keep-alive pings and drops a client that stops answering them', async () => {
    await server.close();
    await start({ keepAliveMs: 100 });
    const a = await hello('a');
    const pinged = new Promise<void>((resolve) => a.ws.once('ping', () => resolve()));
    await pinged;
    // Silence the client's automatic pongs: the server must give up on it.
    const silent = await hello('silent');
    (silent.ws as unknown as { pong: () => void }).pong = () => undefined;
    await silent.waitClosed(2_000);
    expect(a.closed).toBeUndefined();
  });

  it('survives 10,000 random frames and still serves a new client', async () => {
    await server.close();
    await start({ maxMessagesPerSecond: 1_000_000 });
    const words = ['HELLO', 'SESSION', 'ROOM', 'ROOM_PEER_MSG', 'ROOM_PEER_LIST', 'ERROR', ' ', '\u0000', 'ü', '{}', 'x'];
    const fuzzers = await Promise.all([0, 1, 2, 3].map(() => connect()));
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let i = 0; i < 10_000; i++) {
      const fuzzer = fuzzers[i % fuzzers.length] as WireClient;
      if (fuzzer.closed) continue;
      const kind = rand(3);
      if (kind === 0) fuzzer.send(Buffer.from(Array.from({ length: rand(64) }, () => rand(256))));
      else {
        const text = Array.from({ length: 1 + rand(5) }, () => words[rand(words.length)]).join(rand(2) ? ' ' : '');
        fuzzer.send(i % 97 === 0 ? `HELLO f${i}` : text);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const a = await inRoom('after-fuzz-a', 'after');
    const b = await inRoom('after-fuzz-b', 'after');
    await a.next();
    b.send('ROOM_PEER_MSG after-fuzz-a still alive');
    expect(await a.next()).toBe('ROOM_PEER_MSG after-fuzz-b still alive');
  });
});
