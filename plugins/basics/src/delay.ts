// basics/delay: passes every message on `ms` later, in order.
import { defineNode, port } from '@rivulet/core';
import { delay } from 'rxjs';
import { z } from 'zod';

export const delayNode = defineNode({
  type: 'basics/delay',
  title: 'Delay',
  category: 'timing',
  description: 'Passes every message on ms later, keeping their order.',
  params: z.object({ ms: z.number().int().min(0).describe('Delay in ms') }).strict(),
  inputs: { in: port<unknown>('any') },
  outputs: { out: port<unknown>('any') },
  create(ctx) {
    return { outputs: { out: ctx.inputs.in.pipe(delay(ctx.params.ms)) } };
  },
});
