// @rivulet/plugin-signalling: named-stream, GStreamer room/session and users-list signalling, servers and clients.
import { definePlugin } from '@rivulet/core';
import { namedStreamClientNode, namedStreamServerNode } from './named-stream/nodes.js';
import { roomClientNode, roomServerNode, sessionClientNode } from './room/nodes.js';
import { usersListClientNode, usersListServerNode } from './users-list/nodes.js';

// The clients live in @rivulet/client (browsers use them without this plugin); re-exported for Node users of the plugin.
export {
  gstJson,
  namedStreamChannel,
  NamedStreamClient,
  namedStreamData,
  roomChannel,
  RoomClient,
  sessionChannel,
  SessionClient,
  SignallingClientError,
  usersListChannel,
  UsersListClient,
  usersListMessage,
  type ClosedEvent,
  type NamedStreamClientEvents,
  type NamedStreamConnectOptions,
  type RoomClientEvents,
  type SessionClientEvents,
  type SignalChannel,
  type SignalKind,
  type SignallingSocket,
  type SignalMessage,
  type SignalPort,
  type UsersListClientEvents,
  type UsersListConnectOptions,
  type WebSocketFactory,
} from '@rivulet/client';
export { wsFactory } from './common/ws-factory.js';
export { SignallingServerError, type ListenOptions, type ServerAddress, type TlsFiles } from './common/listen.js';
export { RoomServer, type RoomServerEvents, type RoomServerOptions } from './room/server.js';
export { NamedStreamServer, streamKey, type NamedStreamServerEvents, type NamedStreamServerOptions } from './named-stream/server.js';
export { UsersListServer, type UsersListError, type UsersListServerEvents, type UsersListServerOptions } from './users-list/server.js';
export { namedStreamClientNode, namedStreamServerNode, roomClientNode, roomServerNode, sessionClientNode, usersListClientNode, usersListServerNode };

export default definePlugin({
  name: '@rivulet/plugin-signalling',
  version: '0.1.0',
  nodes: [roomServerNode, roomClientNode, sessionClientNode, namedStreamServerNode, namedStreamClientNode, usersListServerNode, usersListClientNode],
});
