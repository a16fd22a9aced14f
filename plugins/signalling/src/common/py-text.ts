// Python-compatible text helpers so ERROR texts and command parsing match the original room server byte for byte.

/** Python's repr() of a str: 'abc', "it's", with control characters escaped. */
export function pyRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

const WS = /\s+/u;

/** Python's str.split(maxsplit=n): leading whitespace dropped, at most n splits, the rest kept. */
export function pySplit(text: string, maxsplit: number): string[] {
  const parts: string[] = [];
  let rest = text.trimStart();
  while (rest.length > 0 && parts.length < maxsplit) {
    const match = WS.exec(rest);
    if (!match) break;
    parts.push(rest.slice(0, match.index));
    rest = rest.slice(match.index + match[0].length);
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** True when the id has no whitespace at all (Python: `uid.split() == [uid]`). */
export function isSingleToken(id: string): boolean {
  return id.length > 0 && !WS.test(id);
}
