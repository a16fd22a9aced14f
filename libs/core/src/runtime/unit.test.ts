import { describe, expect, it } from 'vitest';
import { combinePolicies } from './unit.js';

describe('combinePolicies', () => {
  const restart = { initialDelayMs: 50, maxDelayMs: 500 };

  it('stops a fused group when any member says stop', () => {
    expect(combinePolicies([{ onError: 'ignore' }, { onError: 'restart', restart }, { onError: 'stop' }]).policy).toBe('stop');
  });

  it('restarts a group with the restart options of its first restarting member', () => {
    expect(combinePolicies([{ onError: 'ignore' }, { onError: 'restart', restart }])).toEqual({ policy: 'restart', restart });
  });

  it('ignores errors when every member ignores them, with default restart options', () => {
    expect(combinePolicies([{ onError: 'ignore' }, { onError: 'ignore' }])).toEqual({ policy: 'ignore', restart: { initialDelayMs: 500, maxDelayMs: 30_000 } });
  });
});
