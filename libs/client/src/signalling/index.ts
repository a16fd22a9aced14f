// Browser and Node clients for the three signalling protocols Rivulet's signalling servers speak, and
// the SignalMessage duplex (`roomChannel()` & co.) a WebRTC peer negotiates through.
export { gstJson, namedStreamData, parseErrorText, usersListMessage, type SignalKind, type SignalMessage, type SignalPort } from './signal.js';
export { namedStreamChannel, roomChannel, sessionChannel, usersListChannel, type SignalChannel } from './channels.js';
export { SignallingClientError, type SignallingSocket, type WebSocketFactory } from './socket.js';
export { HoldingEmitter, TypedEmitter, type Listener } from './emitter.js';
export { RoomClient, SessionClient, type ClosedEvent, type RoomClientEvents, type RoomProtocolConnectOptions, type SessionClientEvents } from './room.js';
export { NamedStreamClient, type NamedStreamClientEvents, type NamedStreamConnectOptions } from './named-stream.js';
export { UsersListClient, type UsersListClientEvents, type UsersListConnectOptions } from './users-list.js';
