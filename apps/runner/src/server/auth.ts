// The access token: how it is chosen, and a constant-time check of what a request carries.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 hex characters from the system's CSPRNG. */
export function randomToken(): string {
  return randomBytes(16).toString('hex');
}

/** Hashing first gives equal-length inputs, so the comparison time says nothing about the token. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** The token a request carries: `Authorization: Bearer <t>`, else the `token` query parameter. */
export function requestToken(headers: Readonly<Record<string, string | string[] | undefined>>, url: string): string | undefined {
  const header = headers['authorization'];
  const value = Array.isArray(header) ? header[0] : header;
  const bearer = value?.match(/^Bearer\s+(\S+)\s*$/i);
  if (bearer) return bearer[1];
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  try {
    return new URLSearchParams(url.slice(query + 1)).get('token') ?? undefined;
  } catch {
    return undefined;
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}
