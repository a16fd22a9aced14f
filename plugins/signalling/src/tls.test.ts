// TLS: each server serves wss:// (or https:// for socket.io) from certFile/keyFile, with a certificate made by openssl for the test.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { io as connectIo } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NamedStreamServer } from './named-stream/server.js';
import { RoomServer } from './room/server.js';
import { WireClient } from './test-support/wire-client.js';
import { UsersListServer } from './users-list/server.js';

let dir: string;
let tls: { certFile: string; keyFile: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rivulet-signalling-tls-'));
  tls = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', tls.keyFile, '-out', tls.certFile], { timeout: 15_000 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('TLS', () => {
  it('serves the room protocol over wss://', async () => {
    const server = new RoomServer();
    const client = await (async () => {
      const { url } = await server.start({ port: 0, tls });
      expect(url).toMatch(/^wss:\/\//);
      return WireClient.connect(url, { rejectUnauthorized: false });
    })();
    try {
      client.send('HELLO secure');
      expect(await client.next()).toBe('HELLO');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('serves named streams over wss://', async () => {
    const server = new NamedStreamServer();
    const { url } = await server.start({ port: 0, tls });
    const client = await WireClient.connect(`${url}/s?mode=publish`, { rejectUnauthorized: false });
    try {
      expect(await client.next()).toBe('{"method":"EVENT","data":{"type":"created","id":"0"}}');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('serves the users-list relay over https://', async () => {
    const server = new UsersListServer();
    const { url } = await server.start({ port: 0, tls });
    expect(url).toMatch(/^https:\/\//);
    const socket = connectIo(url, { transports: ['websocket'], rejectUnauthorized: false, reconnection: false, timeout: 3_000 });
    try {
      const users = await new Promise<string[]>((resolve, reject) => {
        socket.once('usersList', resolve);
        socket.once('connect_error', reject);
      });
      expect(users).toHaveLength(1);
    } finally {
      socket.disconnect();
      await server.close();
    }
  });

  it('refuses to start with a missing certificate file, naming it', async () => {
    const server = new RoomServer();
    await expect(server.start({ port: 0, tls: { certFile: join(dir, 'nope.pem'), keyFile: tls.keyFile } })).rejects.toThrow(/nope\.pem/);
  });
});
