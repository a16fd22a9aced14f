// The runtime event stream over WS /api/events as an Observable, reconnecting with a bounded backoff.
import { Observable } from 'rxjs';
import type { RuntimeEvent } from '@rivulet/core';
import type { EventFrame, StreamNotice } from './api-types.js';
import { frameText, type WebSocketConstructor, type WebSocketLike } from './websocket.js';

export interface EventStreamOptions {
  /** Only events of this graph. */
  readonly graph?: string;
  /** Called for server notices (e.g. events dropped because this client read too slowly). */
  readonly onNotice?: (notice: StreamNotice) => void;
  /** Called each time the socket (re)opens; handy for waiting until the stream is live. */
  readonly onOpen?: () => void;
  /** First reconnect delay (default 250 ms), doubled up to `maxDelayMs` (default 10 s). */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface EventSocketSettings {
  readonly url: string;
  readonly WebSocket: WebSocketConstructor;
}

function isFrame(value: unknown): value is EventFrame {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Opens the socket on subscribe and closes it on unsubscribe. A dropped connection is
 * reopened after a delay that doubles each failed attempt (reset once a socket opens), so
 * a restarting runner is picked up again without hammering it.
 */
export function eventStream(settings: EventSocketSettings, options: EventStreamOptions = {}): Observable<RuntimeEvent> {
  const initialDelay = options.initialDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 10_000;
  return new Observable<RuntimeEvent>((subscriber) => {
    let socket: WebSocketLike | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = initialDelay;
    let closed = false;

    const connect = (): void => {
      if (closed) return;
      let opened: WebSocketLike;
      try {
        opened = new settings.WebSocket(settings.url);
      } catch (error) {
        subscriber.error(error);
        return;
      }
      socket = opened;
      opened.onopen = () => {
        delay = initialDelay;
        options.onOpen?.();
      };
      opened.onmessage = (message) => {
        const text = frameText(message.data);
        if (text === undefined) return;
        let frame: unknown;
        try {
          frame = JSON.parse(text);
        } catch {
          return; // a frame we cannot read is skipped rather than ending the stream
        }
        if (!isFrame(frame)) return;
        if (frame.type === 'notice') options.onNotice?.(frame as StreamNotice);
        else subscriber.next(frame as RuntimeEvent);
      };
      opened.onerror = () => {
        // onclose follows and schedules the reconnect
      };
      opened.onclose = () => {
        if (closed || socket !== opened) return;
        socket = undefined;
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, maxDelay);
      };
    };

    connect();
    return () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = socket;
      socket = undefined;
      if (current && current.readyState <= 1) current.close(1000, 'unsubscribed');
    };
  });
}
