// Port specs: MIME-like type strings with wildcards, and the rule for which types may connect.
import type { Observable } from 'rxjs';

/** A port type such as `video/raw`, `video/*`, `rtp/*`, `json` or `any`. */
export type PortType = string;

export interface PortOptions {
  /** May several edges feed this input? Defaults to false for media types, true otherwise. */
  readonly multiple?: boolean;
  /** Deliver through a bounded drop-oldest queue (live media): a slow consumer drops old messages. */
  readonly live?: boolean;
  /** Queue length for live edges (default 32). */
  readonly capacity?: number;
  readonly description?: string;
}

/** A port: its type string plus a phantom payload type `T` for TypeScript. */
export interface PortSpec<T = unknown> extends PortOptions {
  readonly type: PortType;
  /** Never set at run time: carries the payload type for inference only. */
  readonly __payload?: T;
}

export type PortMap = Readonly<Record<string, PortSpec>>;
export type PayloadOf<P> = P extends PortSpec<infer T> ? T : never;
export type InputObservables<I extends PortMap> = { readonly [K in keyof I]: Observable<PayloadOf<I[K]>> };
export type OutputObservables<O extends PortMap> = { readonly [K in keyof O]?: Observable<PayloadOf<O[K]>> };

const PORT_TYPE = /^(any|json|[a-z0-9*][a-z0-9.+*-]*(\/[a-z0-9*][a-z0-9.+*-]*)?)$/;
const MEDIA_FAMILIES = new Set(['video', 'audio', 'rtp']);

/** Declares a port. `port<Buffer>('video/h264')` types the payload as Buffer. */
export function port<T = unknown>(type: PortType, options: PortOptions = {}): PortSpec<T> {
  if (!PORT_TYPE.test(type)) throw new TypeError(`invalid port type "${type}": expected "family/subtype", "json" or "any"`);
  return Object.freeze({ type, ...options });
}

/** True when the port type is a media family (video/*, audio/*, rtp/*). */
export function isMediaType(type: PortType): boolean {
  return MEDIA_FAMILIES.has(type.split('/')[0] ?? '');
}

/** Whether an input accepts several edges. */
export function acceptsMultiple(spec: PortSpec): boolean {
  return spec.multiple ?? !isMediaType(spec.type);
}

function split(type: PortType): [string, string] {
  if (type === 'any' || type === '*' || type === '*/*') return ['*', '*'];
  const [family, subtype] = type.split('/');
  return [family ?? '*', subtype ?? '*'];
}

function partMatches(a: string, b: string): boolean {
  return a === '*' || b === '*' || a === b;
}

/**
 * Whether an output of type `from` may feed an input of type `to`: the two types must
 * overlap, with `*` and `any` as wildcards (`video/h264` → `video/*` connects,
 * `video/h264` → `video/raw` does not).
 */
export function portTypesCompatible(from: PortType, to: PortType): boolean {
  const [ff, fs] = split(from);
  const [tf, ts] = split(to);
  return partMatches(ff, tf) && partMatches(fs, ts);
}
