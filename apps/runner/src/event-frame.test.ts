// Event frames: serialised once, and never throwing on data JSON cannot hold.
import { expect, it } from 'vitest';
import type { RuntimeEvent } from '@rivulet/core';
import { eventFrame } from './event-frame.js';

it('sends a log event whose data JSON cannot hold without its data instead of throwing', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  const event: RuntimeEvent = { type: 'log', graphId: 'g', time: 1, level: 'info', message: 'hello', data: { big: 1n, cyclic } };
  expect(JSON.parse(eventFrame(event))).toEqual({ type: 'log', graphId: 'g', time: 1, level: 'info', message: 'hello' });
  expect(eventFrame(event)).toBe(eventFrame(event));
});
