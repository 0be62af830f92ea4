import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** The port a URL means when it names none. */
const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'redis:': 6379, 'rediss:': 6379, 'postgres:': 5432, 'postgresql:': 5432 };

/**
 * A TCP proxy in front of a shared service (the test PostgreSQL or Redis), so a test can take it away,
 * make it stop answering, and bring it back, without touching the real one that other tests share.
 */
export class TcpProxy {
  readonly #target: URL;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;
  #frozen = false;

  private constructor(targetUrl: string) {
    this.#target = new URL(targetUrl);
  }

  static async start(targetUrl: string): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetUrl);
    await proxy.up();
    return proxy;
  }

  /** The target's URL (credentials and database included) with the proxy's address. */
  get url(): string {
    const url = new URL(this.#target);
    url.hostname = '127.0.0.1';
    url.port = String(this.#port);
    return url.href;
  }

  /** Accepts connections again, on the same port. */
  async up(): Promise<void> {
    const server = createServer((client) => {
      this.#forward(client);
    });
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** The service is gone: open connections are cut and new ones refused. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** The service stops answering, without closing anything (a hung server, a network partition). */
  freeze(): void {
    this.#frozen = true;
    for (const socket of this.#sockets) socket.pause();
  }

  /** What was sent meanwhile is delivered, in order, and the service answers again. */
  thaw(): void {
    this.#frozen = false;
    for (const socket of this.#sockets) socket.resume();
  }

  #forward(client: Socket): void {
    const upstream = connect(Number(this.#target.port) || (DEFAULT_PORTS[this.#target.protocol] ?? 0), this.#target.hostname);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.#sockets.add(from);
      from.on('data', (chunk: Buffer) => {
        to.write(chunk);
      });
      if (this.#frozen) from.pause();
      from.on('close', () => {
        this.#sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => {
        to.destroy();
      });
    }
  }
}
