// Lean map/filter operators for the hot path: one Subscriber per node, no closure wrapping per message.
import { Observable, Subscriber, type OperatorFunction } from 'rxjs';

class MapDefinedSubscriber<T, R> extends Subscriber<T> {
  constructor(
    destination: Subscriber<R>,
    private readonly project: (value: T) => R | undefined,
  ) {
    super(destination);
  }

  protected override _next(value: T): void {
    let result: R | undefined;
    try {
      result = this.project(value);
    } catch (error) {
      this.destination.error(error);
      return;
    }
    if (result !== undefined) this.destination.next(result);
  }
}

class FilterSubscriber<T> extends Subscriber<T> {
  constructor(
    destination: Subscriber<T>,
    private readonly predicate: (value: T) => unknown,
  ) {
    super(destination);
  }

  protected override _next(value: T): void {
    let pass: unknown;
    try {
      pass = this.predicate(value);
    } catch (error) {
      this.destination.error(error);
      return;
    }
    if (pass) this.destination.next(value);
  }
}

/** Like `map`, but a result of undefined emits nothing; a throw errors the stream. */
export function mapDefined<T, R>(project: (value: T) => R | undefined): OperatorFunction<T, R> {
  return (source) => new Observable<R>((subscriber) => source.subscribe(new MapDefinedSubscriber<T, R>(subscriber, project)));
}

/** Like `filter`, with a predicate that may return any truthy value. */
export function filterBy<T>(predicate: (value: T) => unknown): OperatorFunction<T, T> {
  return (source) => new Observable<T>((subscriber) => source.subscribe(new FilterSubscriber<T>(subscriber, predicate)));
}
