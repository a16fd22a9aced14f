// basics/throttle: passes the first message, then at most one per interval, keeping the latest as the trailing one.
import { defineNode, port } from '@rivulet/core';
import { asyncScheduler, throttleTime } from 'rxjs';
import { z } from 'zod';

export const throttleNode = defineNode({
  type: 'basics/throttle',
  title: 'Throttle',
  category: 'timing',
  description: 'Passes the first message at once, then at most one per interval; the last message of an interval is sent when it ends.',
  params: z.object({ intervalMs: z.number().int().min(1).describe('At most one message per this many ms') }).strict(),
  inputs: { in: port<unknown>('any') },
  outputs: { out: port<unknown>('any') },
  create(ctx) {
    const out = ctx.inputs.in.pipe(throttleTime(ctx.params.intervalMs, asyncScheduler, { leading: true, trailing: true }));
    return { outputs: { out } };
  },
});
