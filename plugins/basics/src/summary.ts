// A one-line, bounded text of any message, for logs: huge messages are cut, Buffers are described, not dumped.
import { toText } from './expression/functions.js';

/** Longest text a log line carries for one message. */
export const MAX_SUMMARY_CHARS = 1000;

export function summarise(value: unknown, maxChars = MAX_SUMMARY_CHARS): string {
  if (Buffer.isBuffer(value)) return `<Buffer ${value.length} bytes>`;
  if (ArrayBuffer.isView(value)) return `<${value.constructor.name} ${value.byteLength} bytes>`;
  const text = toText(value);
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters)`;
}
