import { runNode } from '@rivulet/core/testing';
import { describe, expect, it } from 'vitest';
import { filterNode } from './filter.js';

describe('basics/filter', () => {
  it('passes the messages for which the expression is truthy, unchanged and in order', async () => {
    const readings = [{ t: 18 }, { t: 31 }, { t: 25 }, { t: 40 }];
    const { outputs } = await runNode(filterNode, { params: { expression: 'msg.t > 30' }, inputs: { in: readings } });
    expect(outputs.out).toEqual([{ t: 31 }, { t: 40 }]);
    expect(outputs.out[0]).toBe(readings[1]);
  });

  it('treats a non-boolean value by its truthiness', async () => {
    const { outputs } = await runNode(filterNode, { params: { expression: 'msg.name' }, inputs: { in: [{ name: '' }, { name: 'a' }, {}, { name: 'b' }] } });
    expect(outputs.out).toEqual([{ name: 'a' }, { name: 'b' }]);
  });
});
