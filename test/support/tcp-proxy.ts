import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that a test can stall or cut, whatever the server is (DATABASE_URL's
 * or the embedded one), without stopping it.
 */
export interface TcpProxy {
  /** The target URL with host and port replaced by the proxy's. */
  url: string;
  /** Stops moving bytes either way while every connection stays open, as a half-open session or a hung middlebox does. */
  pause(): void;
  resume(): void;
  /** The server "goes away": open connections are reset and new ones refused, until restore(). */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let paused = false;
  let server: Server | undefined;
  const proxy = (client: Socket) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream);
    upstream.pipe(client);
    // After pipe(), which resumes its source.
    if (paused) [client, upstream].forEach((s) => s.pause());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const listening = createServer(proxy);
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => {
        server = listening;
        resolve((listening.address() as AddressInfo).port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const closing = server;
      server = undefined;
      sockets.forEach((s) => s.destroy());
      if (closing) closing.close(() => resolve());
      else resolve();
    });
  const port = await listen(0);
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    pause: () => {
      paused = true;
      sockets.forEach((s) => s.pause());
    },
    resume: () => {
      paused = false;
      sockets.forEach((s) => s.resume());
    },
    cut: stop,
    restore: () => listen(port).then(() => undefined),
    close: stop,
  };
}
