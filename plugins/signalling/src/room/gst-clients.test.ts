// GStreamer's own example clients (gst-examples/webrtc) replayed frame for frame: the exact texts they
// send and the exact texts (or prefixes) they wait for, so each would run against this server unchanged.
//
// - sendrecv/gst webrtc-sendrecv (C and Python) with sendrecv/js (the browser side it calls);
// - multiparty-sendrecv/gst mp-webrtc-sendrecv (C);
// - signalling/session-client.py and signalling/room-client.py (bare `HELLO`, server-given uid).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WireClient } from '../test-support/wire-client.js';
import { RoomServer } from './server.js';

let server: RoomServer;
let url: string;
const clients: WireClient[] = [];

beforeEach(async () => {
  server = new RoomServer();
  url = (await server.start({ port: 0 })).url;
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

async function connect(): Promise<WireClient> {
  const client = await WireClient.connect(url);
  clients.push(client);
  return client;
}

/** Python's json.dumps: `, ` and `: ` separators, as the Python clients send. */
function pyJson(value: unknown): string {
  return JSON.stringify(value).replace(/","/g, '", "').replace(/":/g, '": ').replace(/},"/g, '}, "');
}

/** json-glib's compact output, as the C clients send (same as JSON.stringify for these shapes). */
const glibJson = JSON.stringify;

const OFFER_SDP = 'v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n';
const ANSWER_SDP = 'v=0\r\no=- 2 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n';

describe('sendrecv: webrtc-sendrecv calling the browser page', () => {
  it('registers both, opens the session and relays offer, answer, ICE and OFFER_REQUEST verbatim both ways', async () => {
    // sendrecv/js: `HELLO <random 10..10000>`, waits for exactly `HELLO`.
    const browser = await connect();
    browser.send('HELLO 4242');
    expect(await browser.next()).toBe('HELLO');
    // webrtc-sendrecv: `HELLO <random id>`, exactly `HELLO`, then `SESSION <peer-id>`, exactly `SESSION_OK`.
    const app = await connect();
    app.send('HELLO 317');
    expect(await app.next()).toBe('HELLO');
    app.send('SESSION 4242');
    expect(await app.next()).toBe('SESSION_OK');
    // The C version with --remote-offerer asks the browser to offer instead.
    app.send('OFFER_REQUEST');
    expect(await browser.next()).toBe('OFFER_REQUEST');
    const offers = [glibJson({ sdp: { type: 'offer', sdp: OFFER_SDP } }), pyJson({ sdp: { type: 'offer', sdp: OFFER_SDP } })];
    for (const offer of offers) {
      app.send(offer);
      expect(await browser.next()).toBe(offer);
    }
    const ice = pyJson({ ice: { candidate: 'candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host', sdpMLineIndex: 0 } });
    app.send(ice);
    expect(await browser.next()).toBe(ice);
    // The page answers with JSON.stringify({sdp: desc}) and ({ice: candidate}).
    const answer = JSON.stringify({ sdp: { type: 'answer', sdp: ANSWER_SDP } });
    browser.send(answer);
    expect(await app.next()).toBe(answer);
    const browserIce = JSON.stringify({ ice: { candidate: 'candidate:2 1 UDP 2015363327 127.0.0.1 40001 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' } });
    browser.send(browserIce);
    expect(await app.next()).toBe(browserIce);
    // Hanging up is closing the connection; the other side's connection is closed too.
    app.close();
    await browser.waitClosed();
  });

  it('answers SESSION to an unknown peer with the ERROR text the clients print and exit on', async () => {
    const app = await connect();
    app.send('HELLO 318');
    expect(await app.next()).toBe('HELLO');
    app.send('SESSION 9999');
    expect(await app.next()).toBe("ERROR peer '9999' not found");
  });
});

describe('multiparty-sendrecv: mp-webrtc-sendrecv joining a room', () => {
  it('gets "ROOM_OK " with its trailing space in an empty room, then JOINED, MSG and LEFT split on single spaces', async () => {
    const first = await connect();
    first.send('HELLO alice-4711');
    expect(await first.next()).toBe('HELLO');
    first.send('ROOM 1234');
    // The client checks g_str_has_prefix(text, "ROOM_OK ") and an empty second token.
    expect(await first.next()).toBe('ROOM_OK ');

    const second = await connect();
    second.send('HELLO bob-815');
    expect(await second.next()).toBe('HELLO');
    second.send('ROOM 1234');
    expect(await second.next()).toBe('ROOM_OK alice-4711');
    expect(await first.next()).toBe('ROOM_PEER_JOINED bob-815');

    // The newcomer calls everyone listed: `ROOM_PEER_MSG <peer> <json>`, delivered with the sender's id.
    const offer = glibJson({ sdp: { type: 'offer', sdp: OFFER_SDP } });
    second.send(`ROOM_PEER_MSG alice-4711 ${offer}`);
    expect(await first.next()).toBe(`ROOM_PEER_MSG bob-815 ${offer}`);
    const ice = glibJson({ ice: { candidate: 'candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host', sdpMLineIndex: 0 } });
    second.send(`ROOM_PEER_MSG alice-4711 ${ice}`);
    expect(await first.next()).toBe(`ROOM_PEER_MSG bob-815 ${ice}`);
    const answer = glibJson({ sdp: { type: 'answer', sdp: ANSWER_SDP } });
    first.send(`ROOM_PEER_MSG bob-815 ${answer}`);
    expect(await second.next()).toBe(`ROOM_PEER_MSG alice-4711 ${answer}`);

    second.close();
    expect(await first.next()).toBe('ROOM_PEER_LEFT bob-815');
    // Anything else starting with ROOM_ or not would make the client quit: nothing more arrives.
    expect(await first.nothingWithin()).toBeUndefined();
  });
});

describe('signalling/session-client.py and room-client.py: bare HELLO', () => {
  async function bareHello(): Promise<{ client: WireClient; uid: string }> {
    const client = await connect();
    client.send('HELLO');
    // The scripts split the reply once, assert the first word is HELLO and take the rest as their uid.
    const [word, uid, ...rest] = (await client.next()).split(' ');
    expect(word).toBe('HELLO');
    expect(rest).toEqual([]);
    expect(uid).toMatch(/^\S+$/);
    return { client, uid: uid as string };
  }

  it('gives each a uid of its own that others can call', async () => {
    const callee = await bareHello();
    const caller = await bareHello();
    expect(caller.uid).not.toBe(callee.uid);
    caller.client.send(`SESSION ${callee.uid}`);
    expect(await caller.client.next()).toBe('SESSION_OK');
    caller.client.send(pyJson({ sdp: 'initial sdp' }));
    expect(await callee.client.next()).toBe('{"sdp": "initial sdp"}');
    callee.client.send(pyJson({ sdp: 'reply sdp' }));
    expect(await caller.client.next()).toBe('{"sdp": "reply sdp"}');
  });

  it('runs the room script: offers to the listed peers, answers offers, hears JOINED and LEFT', async () => {
    const a = await bareHello();
    a.client.send('ROOM test');
    expect((await a.client.next()).startsWith('ROOM_OK')).toBe(true);
    const b = await bareHello();
    b.client.send('ROOM test');
    const [, ...peers] = (await b.client.next()).split(/\s+/).filter(Boolean);
    expect(peers).toEqual([a.uid]);
    expect(await a.client.next()).toBe(`ROOM_PEER_JOINED ${b.uid}`);
    b.client.send(`ROOM_PEER_MSG ${a.uid} ${pyJson({ sdp: 'initial sdp' })}`);
    expect(await a.client.next()).toBe(`ROOM_PEER_MSG ${b.uid} {"sdp": "initial sdp"}`);
    a.client.send(`ROOM_PEER_MSG ${b.uid} ${pyJson({ sdp: 'reply sdp' })}`);
    expect(await b.client.next()).toBe(`ROOM_PEER_MSG ${a.uid} {"sdp": "reply sdp"}`);
    b.client.close();
    expect(await a.client.next()).toBe(`ROOM_PEER_LEFT ${b.uid}`);
  });
});
