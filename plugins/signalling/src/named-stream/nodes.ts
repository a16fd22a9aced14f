// Node types for the named-stream protocol: the server and a publisher/subscriber client.
import { defineNode, port } from '@rivulet/core';
import { z } from 'zod';
import { namedStreamChannel, NamedStreamClient, type SignalMessage } from '@rivulet/client';
import { connectWithRetry, runClient } from '../common/node-client.js';
import { runServer, serverParams } from '../common/node-params.js';
import { wsFactory } from '../common/ws-factory.js';
import { NamedStreamServer } from './server.js';

export const namedStreamServerNode = defineNode({
  type: 'signalling/named-stream-server',
  title: 'Named-stream signalling server',
  category: 'signalling',
  description: 'rtclite streams protocol: one publisher and many subscribers per WebSocket path, NOTIFY relay, sha1 access scheme.',
  params: serverParams(8080),
  async create(ctx) {
    const server = new NamedStreamServer({
      maxFrameBytes: ctx.params.maxFrameBytes,
      keepAliveMs: ctx.params.keepAliveSeconds * 1_000,
      maxMessagesPerSecond: ctx.params.maxMessagesPerSecond,
    });
    server.on('client-error', (who, message) => ctx.log.debug(`named-stream server: ${who}: ${message}`));
    return runServer(ctx, server, 'named-stream server');
  },
});

export const namedStreamClientNode = defineNode({
  type: 'signalling/named-stream-client',
  title: 'Named-stream client',
  category: 'signalling',
  description: 'Publishes or subscribes on a stream path; offers, answers and ICE candidates travel as NOTIFY.',
  params: z.object({
    url: z.string().regex(/^wss?:\/\//, 'ws:// or wss:// URL').default('ws://127.0.0.1:8080'),
    path: z.string().min(1).regex(/^\/\S*$/, 'a path starting with /, without spaces (percent-encode them)'),
    mode: z.enum(['publish', 'subscribe']),
  }),
  inputs: { in: port<SignalMessage>('signal/named-stream') },
  outputs: { out: port<SignalMessage>('signal/named-stream') },
  async create(ctx) {
    const client = await connectWithRetry(() => NamedStreamClient.connect({ factory: wsFactory, url: ctx.params.url, path: ctx.params.path, mode: ctx.params.mode }), ctx.signal);
    return runClient(ctx, namedStreamChannel(client), `${ctx.params.mode === 'publish' ? 'publishing' : 'subscribed to'} ${ctx.params.path} as ${client.id}`);
  },
});
