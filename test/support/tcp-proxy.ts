import { createServer, Server, Socket } from 'node:net';
import { freePort } from './reminder-harness';

/**
 * A TCP forwarder in front of a server (PostgreSQL), to take it away from the service under test
 * without touching the shared server: `down()` drops every open connection (the client sees
 * "Connection terminated") and refuses new ones (ECONNREFUSED) until `up()`.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = async () => {
    const s = createServer((client) => {
      const upstream = new Socket();
      sockets.add(client);
      sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      upstream.connect(target.port, target.host, () => {
        client.pipe(upstream);
        upstream.pipe(client);
      });
    });
    await new Promise<void>((resolve, reject) => s.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
    server = s;
  };
  await listen();
  return {
    port,
    /** `url` with its host and port replaced by the proxy's. */
    via(url: string): string {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async down(): Promise<void> {
      const s = server;
      server = null;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (s) await new Promise<void>((r) => s.close(() => r()));
    },
    async up(): Promise<void> {
      if (!server) await listen();
    },
    close(): Promise<void> {
      return this.down();
    },
  };
}
export type TcpProxy = Awaited<ReturnType<typeof startTcpProxy>>;
