// Conformance suite for the named-stream protocol over real WebSockets on 127.0.0.1.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendRawTextFrame, WireClient } from '../test-support/wire-client.js';
import { NamedStreamServer, type NamedStreamServerOptions } from './server.js';

let server: NamedStreamServer;
let url: string;
const clients: WireClient[] = [];

async function start(options: NamedStreamServerOptions = {}): Promise<void> {
  server = new NamedStreamServer(options);
  url = (await server.start({ port: 0 })).url;
}

async function join(path: string, mode: 'publish' | 'subscribe'): Promise<{ client: WireClient; id: string }> {
  const client = await WireClient.connect(`${url}${path}?mode=${mode}`);
  clients.push(client);
  const created = JSON.parse(await client.next()) as { method: string; data: { type: string; id: string } };
  expect(created.method).toBe('EVENT');
  expect(created.data.type).toBe('created');
  return { client, id: created.data.id };
}

const event = (type: string, id: string) => `{"method":"EVENT","data":{"type":"${type}","id":"${id}"}}`;

beforeEach(() => start());
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

describe('publishers and subscribers', () => {
  it('gives the publisher id "0" and each subscriber a random id scoped to the path', async () => {
    const pub = await join('/live/cam', 'publish');
    expect(pub.id).toBe('0');
    const sub = await join('/live/cam', 'subscribe');
    expect(sub.id).toMatch(/^[1-9]\d*$/);
    const other = await join('/other', 'publish');
    expect(other.id).toBe('0');
  });

  it('tells a publisher about every subscriber already there and each subscriber about the publisher', async () => {
    const s1 = await join('/p', 'subscribe');
    const s2 = await join('/p', 'subscribe');
    expect(await s1.client.nothingWithin(50)).toBeUndefined();
    const pub = await join('/p', 'publish');
    const told = [await pub.client.next(), await pub.client.next()].sort();
    expect(told).toEqual([event('subscribed', s1.id), event('subscribed', s2.id)].sort());
    expect(await s1.client.next()).toBe(event('published', '0'));
    expect(await s2.client.next()).toBe(event('published', '0'));
  });

  it('tells a late subscriber about the publisher and the publisher about it', async () => {
    const pub = await join('/p', 'publish');
    const sub = await join('/p', 'subscribe');
    expect(await sub.client.next()).toBe(event('published', '0'));
    expect(await pub.client.next()).toBe(event('subscribed', sub.id));
  });

  it('sends unsubscribed to the publisher and unpublished to subscribers, and not to other subscribers', async () => {
    const pub = await join('/p', 'publish');
    const s1 = await join('/p', 'subscribe');
    const s2 = await join('/p', 'subscribe');
    await pub.client.next();
    await pub.client.next();
    await s1.client.next();
    await s2.client.next();
    s1.client.close();
    expect(await pub.client.next()).toBe(event('unsubscribed', s1.id));
    expect(await s2.client.nothingWithin(100)).toBeUndefined();
    pub.client.close();
    expect(await s2.client.next()).toBe(event('unpublished', '0'));
  });

  it('refuses a second publisher at the handshake with HTTP 400 "publisher exists"', async () => {
    await join('/one', 'publish');
    await expect(WireClient.connect(`${url}/one?mode=publish`)).rejects.toThrow('400 Bad Request - publisher exists');
    const again = await join('/one', 'subscribe');
    expect(await again.client.next()).toBe(event('published', '0'));
  });

  it('refuses a URL without ?mode=publish|subscribe with HTTP 400', async () => {
    await expect(WireClient.connect(`${url}/x`)).rejects.toThrow('400 Bad Request - incorrect path or mode');
    await expect(WireClient.connect(`${url}/x?mode=watch`)).rejects.toThrow('400');
  });

  it('lets a publisher on /sha1/<path> be found only by subscribers on /sha1/<sha1hex(path)>', async () => {
    const hash = createHash('sha1').update('/stream/1234').digest('hex');
    await join('/sha1/stream/1234', 'publish');
    const sub = await join(`/sha1/${hash}`, 'subscribe');
    expect(await sub.client.next()).toBe(event('published', '0'));
    const guess = await join('/sha1/stream/1234', 'subscribe');
    expect(await guess.client.nothingWithin(100)).toBeUndefined();
    // Publishing on the hash itself does not take over the stream.
    await join(`/sha1/${hash}`, 'publish');
    expect(await sub.client.nothingWithin(100)).toBeUndefined();
  });
});

describe('NOTIFY relay', () => {
  it('delivers {"method":"NOTIFY","to":…,"data":…} as {"method":"NOTIFY","from":…,"data":…} both ways', async () => {
    const pub = await join('/n', 'publish');
    const sub = await join('/n', 'subscribe');
    await sub.client.next();
    await pub.client.next();
    pub.client.send(JSON.stringify({ method: 'NOTIFY', to: sub.id, data: { type: 'offer', sdp: 'v=0' } }));
    expect(await sub.client.next()).toBe('{"method":"NOTIFY","from":"0","data":{"type":"offer","sdp":"v=0"}}');
    sub.client.send(JSON.stringify({ method: 'NOTIFY', to: 0, data: { type: 'answer', sdp: 'v=0' } }));
    expect(await pub.client.next()).toBe(`{"method":"NOTIFY","from":"${sub.id}","data":{"type":"answer","sdp":"v=0"}}`);
  });

  it('keeps extra fields, ignores a forged from and follows the last of duplicate keys, as a JSON parser does', async () => {
    const pub = await join('/k', 'publish');
    const sub = await join('/k', 'subscribe');
    await sub.client.next();
    await pub.client.next();
    pub.client.send(`{"method":"NOTIFY","to":"${sub.id}","data":{"a":[1,"ü"]},"extra":true}`);
    expect(await sub.client.next()).toBe('{"method":"NOTIFY","from":"0","data":{"a":[1,"ü"]},"extra":true}');
    pub.client.send(`{"method":"NOTIFY","to":"${sub.id}","from":"666","data":1}`);
    expect(await sub.client.next()).toBe('{"method":"NOTIFY","from":"0","data":1}');
    pub.client.send(`{"method":"NOTIFY","to":"31337","data":2,"to":"${sub.id}"}`);
    expect(await sub.client.next()).toBe('{"method":"NOTIFY","from":"0","data":2}');
    pub.client.send(`{"method":"NOTIFY","to":"${sub.id}","data":3,"method":"GET"}`);
    expect(JSON.parse(await pub.client.next())).toMatchObject({ code: 'failed' });
    expect(await sub.client.nothingWithin(100)).toBeUndefined();
  });

  it('answers GET /peerconnection with the configuration and the msg_id', async () => {
    const pub = await join('/g', 'publish');
    pub.client.send('{"method":"GET","msg_id":123,"resource":"/peerconnection"}');
    expect(JSON.parse(await pub.client.next())).toEqual({ code: 'success', result: { configuration: { iceServers: [] } }, msg_id: 123 });
  });

  it('does not relay across paths and answers an unknown target with an error', async () => {
    const pub = await join('/a', 'publish');
    const elsewhere = await join('/b', 'subscribe');
    pub.client.send(JSON.stringify({ method: 'NOTIFY', to: elsewhere.id, data: {}, msg_id: 7 }));
    expect(JSON.parse(await pub.client.next())).toMatchObject({ code: 'failed', msg_id: 7 });
    expect(await elsewhere.client.nothingWithin(100)).toBeUndefined();
  });
});

describe('bad input', () => {
  it('answers non-JSON, non-object JSON, binary frames, unknown methods and odd ids with an error and keeps the connection', async () => {
    const pub = await join('/bad', 'publish');
    for (const text of ['not json', '[1,2]', '"str"', '42', 'null', '{"method":"DANCE"}', '{"method":"NOTIFY","to":"ü ü","data":{}}', '{"method":"NOTIFY","to":{"x":1}}']) {
      pub.client.send(text);
      expect(JSON.parse(await pub.client.next())).toMatchObject({ code: 'failed' });
    }
    pub.client.send(Buffer.from([1, 2, 3]));
    expect(JSON.parse(await pub.client.next())).toMatchObject({ code: 'failed', reason: 'binary frames are not supported' });
    pub.client.send('{"method":"GET","resource":"/peerconnection"}');
    expect(JSON.parse(await pub.client.next())).toMatchObject({ code: 'success' });
  });

  it('accepts paths with unicode and spaces percent-encoded', async () => {
    const pub = await join('/caf%C3%A9/a%20b', 'publish');
    const sub = await join('/caf%C3%A9/a%20b', 'subscribe');
    expect(await sub.client.next()).toBe(event('published', pub.id));
  });

  it('closes a client sending non-UTF-8 text with 1007 and the publisher hears it leave', async () => {
    const pub = await join('/u', 'publish');
    const sub = await join('/u', 'subscribe');
    await pub.client.next();
    sendRawTextFrame(sub.client.ws, Buffer.from([0xff, 0xfe]));
    expect((await sub.client.waitClosed()).code).toBe(1007);
    expect(await pub.client.next()).toBe(event('unsubscribed', sub.id));
  });

  it('closes a client sending a frame over maxFrameBytes with 1009', async () => {
    await server.close();
    await start({ maxFrameBytes: 1024 });
    const pub = await join('/big', 'publish');
    pub.client.send(JSON.stringify({ method: 'NOTIFY', to: '1', data: 'x'.repeat(4096) }));
    expect((await pub.client.waitClosed()).code).toBe(1009);
    // The path is free for a new publisher once the server has seen the close.
    await expect.poll(() => server.streamCount).toBe(0);
    await join('/big', 'publish');
  });

  it('closes a flooding client with 1008 and keeps relaying for the others', async () => {
    await server.close();
    await start({ maxMessagesPerSecond: 100 });
    const pub = await join('/f', 'publish');
    const flood = await join('/f', 'subscribe');
    const quiet = await join('/f', 'subscribe');
    for (let i = 0; i < 2_000; i++) flood.client.send('{"method":"GET","resource":"/peerconnection"}');
    expect((await flood.client.waitClosed()).code).toBe(1008);
    pub.client.send(JSON.stringify({ method: 'NOTIFY', to: quiet.id, data: 'hi' }));
    expect(await quiet.client.next()).toBe(event('published', '0'));
    expect(await quiet.client.next()).toBe('{"method":"NOTIFY","from":"0","data":"hi"}');
  });

  it('survives 10,000 random frames and still serves a new publisher and subscriber', async () => {
    await server.close();
    await start({ maxMessagesPerSecond: 1_000_000 });
    const fuzzers = await Promise.all(['publish', 'subscribe', 'subscribe', 'subscribe'].map((mode) => join('/fuzz', mode as 'publish' | 'subscribe')));
    const pieces = ['{', '}', '"method"', ':', '"NOTIFY"', '"GET"', '"to"', '"0"', '1', ',', '"data"', '[', ']', 'null', '"ü"', ' '];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let i = 0; i < 10_000; i++) {
      const fuzzer = fuzzers[i % fuzzers.length]?.client as WireClient;
      if (fuzzer.closed) continue;
      const kind = rand(4);
      if (kind === 0) fuzzer.send(Buffer.from(Array.from({ length: rand(64) }, () => rand(256))));
      else if (kind === 1) fuzzer.send(JSON.stringify({ method: 'NOTIFY', to: String(rand(3)), data: { n: i } }));
      else fuzzer.send(Array.from({ length: 1 + rand(12) }, () => pieces[rand(pieces.length)]).join(''));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pub = await join('/after', 'publish');
    const sub = await join('/after', 'subscribe');
    expect(await sub.client.next()).toBe(event('published', pub.id));
  });
});
