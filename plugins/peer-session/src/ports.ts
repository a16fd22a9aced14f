// Which UDP ports are bound on this machine, from /proc/net/udp{,6}: a check that binds nothing, so it cannot race a feed.
import { readFileSync } from 'node:fs';

/** Local UDP ports bound now (any address); empty where /proc is not available. */
export function boundUdpPorts(): Set<number> {
  const ports = new Set<number>();
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      const hex = local?.slice(local.lastIndexOf(':') + 1);
      if (hex) ports.add(Number.parseInt(hex, 16));
    }
  }
  return ports;
}
