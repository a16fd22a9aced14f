// Runs a SignalChannel inside a client node: `in` is sent, received messages go `out`, a lost connection is an error.
import type { NodeContext } from '@rivulet/core';
import type { Observable } from 'rxjs';
import { SignallingClientError, type SignalChannel, type SignalMessage } from '@rivulet/client';

export function runClient(ctx: NodeContext<unknown, { in: { type: string } }>, channel: SignalChannel, statusText: string) {
  let stopping = false;
  const input = ctx.inputs.in as Observable<SignalMessage>;
  const sending = input.subscribe((message) => {
    if (!channel.send(message)) ctx.log.warn(`${ctx.nodeId}: cannot send ${message.kind}: no peer named and none known yet, or nothing to encode`);
  });
  const watching = channel.messages.subscribe({
    complete: () => {
      if (stopping) return;
      ctx.status('error', 'signalling connection closed');
      ctx.fail(new Error(`${ctx.nodeId}: signalling connection closed by the server`));
    },
  });
  ctx.status('running', statusText);
  const dispose = () => {
    stopping = true;
    sending.unsubscribe();
    watching.unsubscribe();
    channel.close();
  };
  ctx.signal.addEventListener('abort', dispose, { once: true });
  return { outputs: { out: channel.messages }, dispose };
}

/**
 * Connects, retrying refused connections with backoff for up to `withinMs`: a server node in the
 * same graph may still be binding its port when a client node starts. Protocol errors are not retried.
 */
export async function connectWithRetry<T>(connect: () => Promise<T>, signal: AbortSignal, withinMs = 10_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      return await connect();
    } catch (error) {
      const retriable = error instanceof SignallingClientError && error.code === 'connect-failed';
      if (!retriable || signal.aborted || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
