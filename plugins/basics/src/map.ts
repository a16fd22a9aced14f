// basics/map: replaces each message with the value of an expression over it (`msg`); undefined drops the message.
import { defineNode, port } from '@rivulet/core';
import { z } from 'zod';
import { compileExpression } from './expression/index.js';
import { mapDefined } from './operators.js';
import { expressionParam } from './params.js';

export const mapNode = defineNode({
  type: 'basics/map',
  title: 'Map',
  category: 'function',
  description: 'Replaces each message with the value of an expression, e.g. `{ celsius: (msg.f - 32) / 1.8 }`. A result of undefined drops the message.',
  params: z.object({ expression: expressionParam(['msg'], 'Expression over `msg`; its value is the new message') }).strict(),
  inputs: { in: port<unknown>('json') },
  outputs: { out: port<unknown>('json') },
  create(ctx) {
    const evaluate = compileExpression(ctx.params.expression, { names: ['msg'] });
    return { outputs: { out: ctx.inputs.in.pipe(mapDefined((msg) => evaluate({ msg }))) } };
  },
});
