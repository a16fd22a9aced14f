// basics/debounce: passes a message only once no other has followed it for `ms`.
import { defineNode, port } from '@rivulet/core';
import { debounceTime } from 'rxjs';
import { z } from 'zod';

export const debounceNode = defineNode({
  type: 'basics/debounce',
  title: 'Debounce',
  category: 'timing',
  description: 'Passes a message once the input has been quiet for ms; a burst yields its last message.',
  params: z.object({ ms: z.number().int().min(1).describe('Quiet time in ms') }).strict(),
  inputs: { in: port<unknown>('any') },
  outputs: { out: port<unknown>('any') },
  create(ctx) {
    return { outputs: { out: ctx.inputs.in.pipe(debounceTime(ctx.params.ms)) } };
  },
});
