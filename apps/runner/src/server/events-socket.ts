// WS /api/events: every RuntimeEvent as a JSON text frame, with a cap on what a slow client can queue.
import type { Observable } from 'rxjs';
import type { RuntimeEvent } from '@rivulet/core';
import type { StreamNotice } from '@rivulet/client';
import type { WebSocket } from 'ws';
import { eventFrame } from '../event-frame.js';

/** Above this many queued bytes a client is considered slow and its events are dropped. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * Streams events to one socket until it closes. Events for a client that reads too slowly
 * are dropped (not queued) so the runner's memory stays bounded; the client is told once.
 */
export function streamEvents(socket: WebSocket, events$: Observable<RuntimeEvent>, graph: string | undefined, maxBuffered = MAX_BUFFERED_BYTES): void {
  let told = false;
  const subscription = events$.subscribe((event) => {
    if (graph !== undefined && event.graphId !== graph) return;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > maxBuffered) {
      if (!told) {
        told = true;
        const notice: StreamNotice = {
          type: 'notice',
          code: 'events-dropped',
          message: `this client reads events too slowly (over ${maxBuffered} bytes queued); events are being dropped`,
        };
        socket.send(JSON.stringify(notice));
      }
      return;
    }
    socket.send(eventFrame(event));
  });
  const end = (): void => subscription.unsubscribe();
  socket.on('close', end);
  socket.on('error', end);
}
