// The node types inside a real Runtime: servers report their address, client ports carry SignalMessages, stop frees everything.
import { Catalogue, Runtime, type RuntimeEvent } from '@rivulet/core';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from './index.js';
import { NamedStreamServer } from './named-stream/server.js';
import { RoomServer } from './room/server.js';
import { WireClient } from './test-support/wire-client.js';
import { UsersListServer } from './users-list/server.js';

let runtime: Runtime;
const clients: WireClient[] = [];
const servers: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await runtime?.stopAll();
  for (const server of servers.splice(0)) await server.close();
});

function runningText(nodeId: string): Promise<string> {
  return firstValueFrom(
    runtime.events$.pipe(
      filter((e): e is Extract<RuntimeEvent, { type: 'node-status' }> => e.type === 'node-status' && e.nodeId === nodeId && e.state === 'running'),
      timeout(5_000),
    ),
  ).then((e) => e.text ?? '');
}

async function startServerNode(type: string): Promise<string> {
  runtime = new Runtime({ catalogue: new Catalogue([plugin]) });
  const running = runningText('server');
  await runtime.start({ rivulet: 1, id: 'servers', name: 'servers', nodes: [{ id: 'server', type, params: { port: 0 } }], edges: [] });
  const text = await running;
  const url = /listening on (\S+)/.exec(text)?.[1];
  expect(url).toBeDefined();
  return url as string;
}

describe('plugin', () => {
  it('declares the seven stable node types', () => {
    expect(plugin.nodes.map((n) => n.type).sort()).toEqual([
      'signalling/named-stream-client',
      'signalling/named-stream-server',
      'signalling/room-client',
      'signalling/room-server',
      'signalling/session-client',
      'signalling/users-list-client',
      'signalling/users-list-server',
    ]);
  });

  it('defaults the room server to 127.0.0.1:8443 and refuses a cert without a key', () => {
    const room = plugin.nodes.find((n) => n.type === 'signalling/room-server');
    expect(room?.params.parse({})).toMatchObject({ host: '127.0.0.1', port: 8443, maxFrameBytes: 1 << 20 });
    expect(room?.params.safeParse({ certFile: 'c.pem' }).success).toBe(false);
  });
});

describe('server nodes', () => {
  it('runs a room server on port 0, reports its URL in the status and frees it on stop', async () => {
    const url = await startServerNode('signalling/room-server');
    const peer = await WireClient.connect(url);
    clients.push(peer);
    peer.send('HELLO x');
    expect(await peer.next()).toBe('HELLO');
    await runtime.stop('servers');
    await peer.waitClosed();
    await expect(WireClient.connect(url, {}, 1_000)).rejects.toThrow();
  });

  it('runs a named-stream server and a users-list server the same way', async () => {
    const nsUrl = await startServerNode('signalling/named-stream-server');
    const pub = await WireClient.connect(`${nsUrl}/a?mode=publish`);
    clients.push(pub);
    expect(await pub.next()).toContain('"created"');
    await runtime.stopAll();
    const ulUrl = await startServerNode('signalling/users-list-server');
    expect(ulUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const raw = await WireClient.connect(`${ulUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    clients.push(raw);
    expect(await raw.next()).toMatch(/^0\{/);
  });
});

describe('client nodes', () => {
  it('carries an offer from one room client out and through another room client in, back to the sender', async () => {
    const url = await startServerNode('signalling/room-server');
    const x = await WireClient.connect(url);
    clients.push(x);
    x.send('HELLO x');
    await x.next();
    x.send('ROOM r');
    await x.next();
    const bothRunning = Promise.all([runningText('a'), runningText('b')]);
    await runtime.start({
      rivulet: 1,
      id: 'clients',
      name: 'clients',
      nodes: [
        { id: 'a', type: 'signalling/room-client', params: { url, uid: 'a', room: 'r' } },
        { id: 'b', type: 'signalling/room-client', params: { url, uid: 'b', room: 'r' } },
      ],
      edges: [{ from: 'a.out', to: 'b.in' }],
    });
    expect(await bothRunning).toEqual(['in room r as a', 'in room r as b']);
    const joined = [await x.next(), await x.next()].sort();
    expect(joined).toEqual(['ROOM_PEER_JOINED a', 'ROOM_PEER_JOINED b']);
    x.send('ROOM_PEER_MSG a {"sdp": {"type": "offer", "sdp": "v=0\\r\\n"}}');
    expect(await x.next()).toBe('ROOM_PEER_MSG b {"sdp":{"type":"offer","sdp":"v=0\\r\\n"}}');
    await runtime.stop('clients');
    expect([await x.next(), await x.next()].sort()).toEqual(['ROOM_PEER_LEFT a', 'ROOM_PEER_LEFT b']);
  });

  it('connects named-stream and users-list client nodes and reports their ids', async () => {
    const ns = new NamedStreamServer();
    const ul = new UsersListServer();
    servers.push(ns, ul);
    const nsUrl = (await ns.start({ port: 0 })).url;
    const ulUrl = (await ul.start({ port: 0 })).url;
    runtime = new Runtime({ catalogue: new Catalogue([plugin]) });
    const texts = Promise.all([runningText('pub'), runningText('user')]);
    await runtime.start({
      rivulet: 1,
      id: 'c',
      name: 'c',
      nodes: [
        { id: 'pub', type: 'signalling/named-stream-client', params: { url: nsUrl, path: '/cam', mode: 'publish' } },
        { id: 'user', type: 'signalling/users-list-client', params: { url: ulUrl } },
      ],
      edges: [],
    });
    const [pubText, userText] = await texts;
    expect(pubText).toBe('publishing /cam as 0');
    expect(userText).toMatch(/^connected as \S+$/);
    expect(ul.users).toHaveLength(1);
  });

  it('waits for a server that is still starting instead of failing at once', async () => {
    const probe = new RoomServer();
    const { port } = await probe.start({ port: 0 });
    await probe.close();
    runtime = new Runtime({ catalogue: new Catalogue([plugin]) });
    const running = runningText('late');
    const started = runtime.start({ rivulet: 1, id: 'late', name: 'late', nodes: [{ id: 'late', type: 'signalling/room-client', params: { url: `ws://127.0.0.1:${port}`, uid: 'late', room: 'r' } }], edges: [] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const server = new RoomServer();
    servers.push(server);
    await server.start({ port });
    await started;
    expect(await running).toBe('in room r as late');
  });

  it('puts a client node in error when the server goes away', async () => {
    const ns = new NamedStreamServer();
    servers.push(ns);
    const url = (await ns.start({ port: 0 })).url;
    runtime = new Runtime({ catalogue: new Catalogue([plugin]) });
    const running = runningText('sub');
    const graph = await runtime.start({ rivulet: 1, id: 'e', name: 'e', nodes: [{ id: 'sub', type: 'signalling/named-stream-client', params: { url, path: '/x', mode: 'subscribe' } }], edges: [] });
    await running;
    const errored = firstValueFrom(runtime.events$.pipe(filter((e) => e.type === 'node-status' && e.nodeId === 'sub' && e.state === 'error'), timeout(5_000)));
    await ns.close();
    await errored;
    expect(graph.status().nodes['sub']?.state).toBe('error');
  });
});
