import type { RuntimeEvent } from '@rivulet/core';
import { runNode } from '@rivulet/core/testing';
import { describe, expect, it } from 'vitest';
import { logNode } from './log.js';

type LogEvent = Extract<RuntimeEvent, { type: 'log' }>;
const logsOf = (events: readonly RuntimeEvent[]) => events.filter((e): e is LogEvent => e.type === 'log' && e.nodeId === 'node');

describe('basics/log', () => {
  it('logs each message at its level with its label, as runtime events', async () => {
    const { events } = await runNode(logNode, { params: { level: 'warn', label: 'temp' }, inputs: { in: ['hot', { c: 31 }, 7] } });
    expect(logsOf(events).map((e) => [e.level, e.message])).toEqual([
      ['warn', 'temp: hot'],
      ['warn', 'temp: {"c":31}'],
      ['warn', 'temp: 7'],
    ]);
  });

  it('logs at info without a prefix by default', async () => {
    const { events } = await runNode(logNode, { inputs: { in: [null] } });
    expect(logsOf(events).map((e) => [e.level, e.message])).toEqual([['info', 'null']]);
  });

  it('cuts huge messages and shows Buffers by size instead of dumping them', async () => {
    const { events } = await runNode(logNode, { inputs: { in: [{ text: 'x'.repeat(100_000) }, Buffer.alloc(65_536)] } });
    const [big, buffer] = logsOf(events);
    expect(big!.message.length).toBeLessThan(1100);
    expect(big!.message).toMatch(/^\{"text":"xxx.*… \(99011 more characters\)$/);
    expect(buffer!.message).toBe('<Buffer 65536 bytes>');
  });
});
