import { describe, expect, it } from 'vitest';
import { firstValueFrom, map, toArray } from 'rxjs';
import { byteSize, Edge, LiveEdge } from './edge.js';
import { InputPort } from './input-port.js';
import { OutputSubscriber } from './output-subscriber.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('byteSize', () => {
  it('counts Buffers, byte arrays, strings and { data } frames, and nothing else', () => {
    expect(byteSize(Buffer.alloc(64))).toBe(64);
    expect(byteSize(new Uint8Array(10))).toBe(10);
    expect(byteSize('hello')).toBe(5);
    expect(byteSize({ kind: 'rtp', data: Buffer.alloc(1200) })).toBe(1200);
    expect(byteSize({ data: 'not bytes' })).toBe(0);
    expect(byteSize(42)).toBe(0);
    expect(byteSize(null)).toBe(0);
  });
});

describe('Edge', () => {
  it('delivers synchronously and counts messages and bytes', () => {
    const input = new InputPort('b.in');
    const edge = new Edge('a.out->b.in', 'a.out', 'b.in', input);
    const seen: unknown[] = [];
    input.observable.subscribe((v) => seen.push(v));
    edge.push('abc');
    edge.push(Buffer.alloc(7));
    expect(seen).toHaveLength(2);
    expect(edge.metrics()).toEqual({ id: 'a.out->b.in', from: 'a.out', to: 'b.in', messages: 2, bytes: 10, drops: 0 });
  });

  it('completes an input only when every edge feeding it has completed', async () => {
    const input = new InputPort('b.in');
    const first = new Edge('x', 'a.out', 'b.in', input);
    const second = new Edge('y', 'c.out', 'b.in', input);
    const all = firstValueFrom(input.observable.pipe(toArray()));
    first.push(1);
    first.complete();
    second.push(2);
    second.complete();
    expect(await all).toEqual([1, 2]);
  });

  it('keeps values that arrive before anyone subscribes while the graph starts, and drops them after', () => {
    const input = new InputPort('b.in');
    const edge = new Edge('x', 'a.out', 'b.in', input);
    edge.push('early');
    const seen: unknown[] = [];
    const subscription = input.observable.subscribe((v) => seen.push(v));
    expect(seen).toEqual(['early']);
    subscription.unsubscribe();
    input.endStartPhase();
    edge.push('nobody listens');
    input.observable.subscribe((v) => seen.push(v));
    edge.push('late');
    expect(seen).toEqual(['early', 'late']);
  });
});

describe('LiveEdge', () => {
  it('drops the oldest messages when the consumer falls behind, and counts the drops', async () => {
    const input = new InputPort('b.in');
    const edge = new LiveEdge('x', 'a.out', 'b.in', input, 4);
    const seen: number[] = [];
    input.observable.subscribe((v) => seen.push(v as number));
    for (let i = 0; i < 100; i++) edge.push(i);
    expect(seen).toEqual([]); // delivery is asynchronous
    await nextTurn();
    expect(seen).toEqual([96, 97, 98, 99]);
    expect(edge.metrics()).toMatchObject({ messages: 100, drops: 96 });
  });

  it('completes the input only after the queued messages were delivered', async () => {
    const input = new InputPort('b.in');
    const edge = new LiveEdge('x', 'a.out', 'b.in', input, 8);
    const all = firstValueFrom(input.observable.pipe(toArray()));
    edge.push('a');
    edge.push('b');
    edge.complete();
    expect(await all).toEqual(['a', 'b']);
  });

  it('delivers nothing once closed', async () => {
    const input = new InputPort('b.in');
    const edge = new LiveEdge('x', 'a.out', 'b.in', input, 8);
    const seen: unknown[] = [];
    input.observable.subscribe((v) => seen.push(v));
    edge.push('a');
    edge.close();
    await nextTurn();
    expect(seen).toEqual([]);
  });
});

describe('OutputSubscriber', () => {
  it('fans one subscription out to every edge and keeps errors away from consumers', () => {
    const a = new InputPort('a.in');
    const b = new InputPort('b.in');
    const edges = [new Edge('1', 'p.out', 'a.in', a), new Edge('2', 'p.out', 'b.in', b)];
    const got: unknown[] = [];
    let completed = false;
    a.observable.pipe(map((v) => `a${String(v)}`)).subscribe((v) => got.push(v));
    b.observable.subscribe({ next: (v) => got.push(`b${String(v)}`), error: () => got.push('b saw error'), complete: () => (completed = true) });
    const errors: unknown[] = [];
    const subscriber = new OutputSubscriber(edges, (e) => errors.push(e));
    subscriber.next(1);
    subscriber.error(new Error('boom'));
    expect(got).toEqual(['a1', 'b1']);
    expect(errors).toHaveLength(1);
    expect(completed).toBe(false);
    expect(subscriber.closed).toBe(true);
  });
});

describe('InputPort', () => {
  it('hands values held during start to a late subscriber, then completes it', () => {
    const input = new InputPort('b.in');
    const edge = new Edge('x', 'a.out', 'b.in', input);
    edge.push(1);
    edge.push(2);
    edge.complete();
    const seen: unknown[] = [];
    let completed = false;
    input.observable.subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
    expect(seen).toEqual([1, 2]);
    expect(completed).toBe(true);
  });

  it('keeps order when a held value causes another to arrive while it is handed out', () => {
    const input = new InputPort('b.in');
    const edge = new Edge('x', 'a.out', 'b.in', input);
    edge.push(1);
    edge.push(2);
    const seen: unknown[] = [];
    input.observable.subscribe((v) => {
      seen.push(v);
      if (v === 1) edge.push(3);
    });
    expect(seen).toEqual([1, 2, 3]);
  });
});
