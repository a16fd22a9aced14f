// Node types for the GStreamer room/session protocol: the server, a room member and a 1-1 session peer.
import { defineNode, port } from '@rivulet/core';
import { z } from 'zod';
import { roomChannel, RoomClient, SessionClient, sessionChannel, type SignalChannel, type SignalMessage } from '@rivulet/client';
import { runServer, serverParams } from '../common/node-params.js';
import { connectWithRetry, runClient } from '../common/node-client.js';
import { wsFactory } from '../common/ws-factory.js';
import { RoomServer } from './server.js';

const peerId = z.string().min(1).regex(/^\S+$/, 'no whitespace');

export const roomServerNode = defineNode({
  type: 'signalling/room-server',
  title: 'Room/session signalling server',
  category: 'signalling',
  description: 'GStreamer webrtc signalling protocol (HELLO, SESSION, ROOM): works with gst-examples clients.',
  params: serverParams(8443),
  async create(ctx) {
    const server = new RoomServer({
      maxFrameBytes: ctx.params.maxFrameBytes,
      keepAliveMs: ctx.params.keepAliveSeconds * 1_000,
      maxMessagesPerSecond: ctx.params.maxMessagesPerSecond,
    });
    server.on('client-error', (who, message) => ctx.log.debug(`room server: ${who}: ${message}`));
    return runServer(ctx, server, 'room server');
  },
});

const clientParams = { url: z.string().regex(/^wss?:\/\//, 'ws:// or wss:// URL').default('ws://127.0.0.1:8443'), uid: peerId };

export const roomClientNode = defineNode({
  type: 'signalling/room-client',
  title: 'Room client',
  category: 'signalling',
  description: 'Joins a room; offers, answers and ICE candidates travel as ROOM_PEER_MSG.',
  params: z.object({ ...clientParams, room: peerId.refine((r) => r !== 'session', 'room cannot be named "session"') }),
  inputs: { in: port<SignalMessage>('signal/room', { description: 'messages to send (peer = destination uid)' }) },
  outputs: { out: port<SignalMessage>('signal/room', { description: 'messages received and peers joining/leaving' }) },
  async create(ctx) {
    const channel: SignalChannel = roomChannel(await connectWithRetry(() => RoomClient.connect({ factory: wsFactory, url: ctx.params.url, uid: ctx.params.uid, room: ctx.params.room }), ctx.signal));
    return runClient(ctx, channel, `in room ${ctx.params.room} as ${ctx.params.uid}`);
  },
});

export const sessionClientNode = defineNode({
  type: 'signalling/session-client',
  title: 'Session client',
  category: 'signalling',
  description: 'A 1-1 call over the room/session protocol: calls `peer` (or waits to be called) and relays messages.',
  params: z.object({ ...clientParams, peer: peerId.optional().describe('uid to call; leave empty to wait for a call') }),
  inputs: { in: port<SignalMessage>('signal/session') },
  outputs: { out: port<SignalMessage>('signal/session') },
  async create(ctx) {
    const { url, uid, peer } = ctx.params;
    const channel = sessionChannel(await connectWithRetry(() => SessionClient.connect({ factory: wsFactory, url, uid, ...(peer === undefined ? {} : { peer }) }), ctx.signal));
    return runClient(ctx, channel, peer === undefined ? `${uid} waiting for a call` : `${uid} in a session with ${peer}`);
  },
});
