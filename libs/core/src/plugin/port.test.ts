import { describe, expect, it } from 'vitest';
import { acceptsMultiple, port, portTypesCompatible } from './port.js';

describe('port types', () => {
  it('connects equal types and wildcards, refuses different subtypes', () => {
    expect(portTypesCompatible('video/h264', 'video/h264')).toBe(true);
    expect(portTypesCompatible('video/h264', 'video/*')).toBe(true);
    expect(portTypesCompatible('video/*', 'video/vp8')).toBe(true);
    expect(portTypesCompatible('json', 'any')).toBe(true);
    expect(portTypesCompatible('any', 'rtp/vp8')).toBe(true);
    expect(portTypesCompatible('video/h264', 'video/raw')).toBe(false);
    expect(portTypesCompatible('audio/opus', 'video/*')).toBe(false);
    expect(portTypesCompatible('json', 'video/raw')).toBe(false);
  });

  it('lets media inputs take one edge and other inputs many, unless told otherwise', () => {
    expect(acceptsMultiple(port('video/raw'))).toBe(false);
    expect(acceptsMultiple(port('json'))).toBe(true);
    expect(acceptsMultiple(port('rtp/*', { multiple: true }))).toBe(true);
  });

  it('refuses a malformed type string', () => {
    expect(() => port('Video Raw')).toThrow(/invalid port type/);
  });
});
