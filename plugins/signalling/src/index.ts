// @rivulet/plugin-signalling: named-stream, GStreamer room/session and users-list signalling, servers and clients.
import { definePlugin } from '@rivulet/core';
import { namedStreamClientNode, namedStreamServerNode } from './named-stream/nodes.js';
import { roomClientNode, roomServerNode, sessionClientNode } from './room/nodes.js';
import { usersListClientNode, usersListServerNode } from './users-list/nodes.js';

export * from './signal.js';
export * from './channels.js';
export { SignallingServerError, type ListenOptions, type ServerAddress, type TlsFiles } from './common/listen.js';
export { SignallingClientError, type WebSocketFactory, type WebSocketLike } from './common/socket.js';
export { RoomServer, type RoomServerEvents, type RoomServerOptions } from './room/server.js';
export { RoomClient, SessionClient, type ClosedEvent, type RoomClientEvents, type SessionClientEvents } from './room/client.js';
export { NamedStreamServer, streamKey, type NamedStreamServerEvents, type NamedStreamServerOptions } from './named-stream/server.js';
export { NamedStreamClient, type NamedStreamClientEvents, type NamedStreamConnectOptions } from './named-stream/client.js';
export { UsersListServer, type UsersListError, type UsersListServerEvents, type UsersListServerOptions } from './users-list/server.js';
export { UsersListClient, type UsersListClientEvents, type UsersListConnectOptions } from './users-list/client.js';
export { namedStreamClientNode, namedStreamServerNode, roomClientNode, roomServerNode, sessionClientNode, usersListClientNode, usersListServerNode };

export default definePlugin({
  name: '@rivulet/plugin-signalling',
  version: '0.1.0',
  nodes: [roomServerNode, roomClientNode, sessionClientNode, namedStreamServerNode, namedStreamClientNode, usersListServerNode, usersListClientNode],
});
