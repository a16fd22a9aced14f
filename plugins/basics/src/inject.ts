// basics/inject: emits a payload (or an expression's value) once or on an interval, optionally a limited number of times.
import { defineNode, port } from '@rivulet/core';
import { map, of, take, timer, type Observable } from 'rxjs';
import { z } from 'zod';
import { compileExpression } from './expression/index.js';
import { expressionParam } from './params.js';

export const injectNode = defineNode({
  type: 'basics/inject',
  title: 'Inject',
  category: 'input',
  description: 'Emits a message at start, then every intervalMs if set; `expression` sees `n` (1, 2, 3…) and `time` (ms since epoch).',
  params: z
    .object({
      intervalMs: z.number().int().min(1).optional().describe('Emit every this many ms (absent: once)'),
      payload: z.json().default(null).describe('The message to emit'),
      expression: expressionParam(['n', 'time'], 'Computes each message from `n` and `time`; replaces payload').optional(),
      limit: z.number().int().min(1).optional().describe('Stop after this many messages'),
    })
    .strict(),
  outputs: { out: port<unknown>('json') },
  create(ctx) {
    const { intervalMs, payload, expression, limit } = ctx.params;
    const evaluate = expression === undefined ? undefined : compileExpression(expression, { names: ['n', 'time'] });
    const ticks: Observable<number> = intervalMs === undefined ? of(0) : timer(0, intervalMs);
    const counted = limit === undefined ? ticks : ticks.pipe(take(limit));
    const out = counted.pipe(map((i) => (evaluate ? evaluate({ n: i + 1, time: Date.now() }) : payload)));
    return { outputs: { out } };
  },
});
