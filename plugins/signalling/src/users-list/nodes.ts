// Node types for the users-list relay: the socket.io server and a client.
import { defineNode, port } from '@rivulet/core';
import { z } from 'zod';
import { usersListChannel, UsersListClient, type SignalMessage } from '@rivulet/client';
import { connectWithRetry, runClient } from '../common/node-client.js';
import { runServer, serverParams } from '../common/node-params.js';
import { wsFactory } from '../common/ws-factory.js';
import { UsersListServer } from './server.js';

export const usersListServerNode = defineNode({
  type: 'signalling/users-list-server',
  title: 'Users-list relay server',
  category: 'signalling',
  description: 'socket.io server: broadcasts usersList on connect/disconnect, relays `message` to the client named by `id`.',
  params: serverParams(3000),
  async create(ctx) {
    const server = new UsersListServer({
      maxFrameBytes: ctx.params.maxFrameBytes,
      keepAliveMs: ctx.params.keepAliveSeconds * 1_000,
      maxMessagesPerSecond: ctx.params.maxMessagesPerSecond,
    });
    server.on('client-error', (who, message) => ctx.log.debug(`users-list server: ${who}: ${message}`));
    return runServer(ctx, server, 'users-list server');
  },
});

export const usersListClientNode = defineNode({
  type: 'signalling/users-list-client',
  title: 'Users-list client',
  category: 'signalling',
  description: 'Connects to a users-list relay; peers appear as they connect; offers, answers and candidates travel as `message`.',
  params: z.object({ url: z.string().regex(/^(https?|wss?):\/\//, 'http(s):// or ws(s):// URL').default('http://127.0.0.1:3000') }),
  inputs: { in: port<SignalMessage>('signal/users-list') },
  outputs: { out: port<SignalMessage>('signal/users-list') },
  async create(ctx) {
    const client = await connectWithRetry(() => UsersListClient.connect({ factory: wsFactory, url: ctx.params.url }), ctx.signal);
    return runClient(ctx, usersListChannel(client), `connected as ${client.id}`);
  },
});
