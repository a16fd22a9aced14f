// basics/log: writes each message to the node's log (so to the runtime's events), cut to a bounded length.
import { defineNode, port } from '@rivulet/core';
import { z } from 'zod';
import { summarise } from './summary.js';

export const logNode = defineNode({
  type: 'basics/log',
  title: 'Log',
  category: 'output',
  description: 'Logs each message at the given level; long messages are cut and Buffers are shown by size.',
  params: z
    .object({
      level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
      label: z.string().max(200).optional().describe('Prefix of each line'),
    })
    .strict(),
  inputs: { in: port<unknown>('any') },
  create(ctx) {
    const { level, label } = ctx.params;
    const prefix = label ? `${label}: ` : '';
    const subscription = ctx.inputs.in.subscribe({
      next: (msg) => ctx.log[level](prefix + summarise(msg)),
      error: (error: unknown) => ctx.fail(error),
    });
    return { dispose: () => subscription.unsubscribe() };
  },
});
