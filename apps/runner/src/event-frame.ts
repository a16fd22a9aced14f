// One runtime event as a line of JSON, for the event socket and `rivulet run --json`.
import type { RuntimeEvent } from '@rivulet/core';

const frames = new WeakMap<RuntimeEvent, string>();

/**
 * The JSON text of an event, made once however many sockets send it. A log event whose data
 * cannot be serialised (a cycle, a BigInt) is sent without its data rather than throwing
 * inside the runtime's event stream.
 */
export function eventFrame(event: RuntimeEvent): string {
  let text = frames.get(event);
  if (text === undefined) {
    try {
      text = JSON.stringify(event);
    } catch {
      text = JSON.stringify({ ...event, data: undefined });
    }
    frames.set(event, text);
  }
  return text;
}
