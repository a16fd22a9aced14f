// The WebSocket factory the client nodes hand to @rivulet/client's signalling clients: Node 20 has no global WebSocket.
import type { SignallingSocket, WebSocketFactory } from '@rivulet/client';
import { WebSocket } from 'ws';

export const wsFactory: WebSocketFactory = (url) => new WebSocket(url) as unknown as SignallingSocket;
