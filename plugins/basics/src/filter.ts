// basics/filter: passes a message on when an expression over it (`msg`) is truthy.
import { defineNode, port } from '@rivulet/core';
import { z } from 'zod';
import { compileExpression } from './expression/index.js';
import { filterBy } from './operators.js';
import { expressionParam } from './params.js';

export const filterNode = defineNode({
  type: 'basics/filter',
  title: 'Filter',
  category: 'function',
  description: 'Passes a message on when the expression is truthy, e.g. `msg.temperature > 30`.',
  params: z.object({ expression: expressionParam(['msg'], 'Expression over `msg`; the message passes when it is truthy') }).strict(),
  inputs: { in: port<unknown>('json') },
  outputs: { out: port<unknown>('json') },
  create(ctx) {
    const evaluate = compileExpression(ctx.params.expression, { names: ['msg'] });
    return { outputs: { out: ctx.inputs.in.pipe(filterBy((msg) => evaluate({ msg }))) } };
  },
});
