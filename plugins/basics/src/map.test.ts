import { GraphError } from '@rivulet/core';
import { runNode } from '@rivulet/core/testing';
import { describe, expect, it } from 'vitest';
import { mapNode } from './map.js';

describe('basics/map', () => {
  it('replaces each message with the value of the expression over msg', async () => {
    const { outputs } = await runNode(mapNode, {
      params: { expression: '{ room: upper(msg.room), celsius: round((msg.f - 32) / 1.8) }' },
      inputs: { in: [{ room: 'hall', f: 212 }, { room: 'attic', f: 32 }] },
    });
    expect(outputs.out).toEqual([
      { room: 'HALL', celsius: 100 },
      { room: 'ATTIC', celsius: 0 },
    ]);
  });

  it('drops a message whose expression yields undefined', async () => {
    const { outputs } = await runNode(mapNode, { params: { expression: 'msg.keep ? msg.value : undefined' }, inputs: { in: [{ keep: true, value: 1 }, { keep: false, value: 2 }, { keep: true, value: 3 }] } });
    expect(outputs.out).toEqual([1, 3]);
  });

  it('refuses an invalid expression when the graph is validated, at the param path', async () => {
    const error = await runNode(mapNode, { params: { expression: '{ a: msg.x }}' }, inputs: { in: [1] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    const issue = (error as GraphError).issues.find((i) => i.code === 'invalid-param');
    expect(issue?.path).toEqual(['nodes', 0, 'params', 'expression']);
    expect(issue?.message).toMatch(/unexpected "}" at column 13/);
  });

  it('fails the node with an error naming the expression when evaluation throws', async () => {
    const { final } = await runNode(mapNode, { params: { expression: 'msg.a.b' }, inputs: { in: [{ a: { b: 1 } }, {}] }, allowError: true });
    expect(final.nodes['node']?.state).toBe('error');
    expect(final.nodes['node']?.text).toMatch(/expression "msg\.a\.b": cannot read "b" of undefined/);
  });
});
