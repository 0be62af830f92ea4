import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real nginx on 127.0.0.1 in front of one upstream, for what a Node stand-in cannot show: its own
 * error pages, its Server header and its add_header rules. Tests that need it skip where nginx is
 * not installed (CI installs it).
 */
export const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

export interface Nginx {
  readonly base: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function listening(port: number, child: ChildProcess): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(true)).on('error', () => resolve(false));
      socket.on('connect', () => socket.destroy());
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('nginx did not start listening');
}

/**
 * nginx proxying to `upstreamPort` (as `app`), with `server` directives (a location, add_header...)
 * of the test's own, `http` ones (a limit_req_zone) when given, and https with `tls`'s certificate.
 */
export async function startNginx(upstreamPort: number, server: string, options: { http?: string; tls?: { certPath: string; keyPath: string } } = {}): Promise<Nginx> {
  if (!NGINX) throw new Error('nginx is not installed');
  const prefix = mkdtempSync(join(tmpdir(), 'cse-nginx-'));
  const port = await freePort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `${name}_temp_path ${join(prefix, name)};`).join('\n  ');
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')};
events { worker_connections 64; }
http {
  access_log off;
  ${temp}
  upstream app { server 127.0.0.1:${upstreamPort}; }
  ${options.http ?? ''}
  server {
    listen 127.0.0.1:${port}${options.tls ? ' ssl' : ''};
    ${options.tls ? `ssl_certificate ${options.tls.certPath};\n    ssl_certificate_key ${options.tls.keyPath};` : ''}
    ${server.replaceAll('\n', '\n    ')}
  }
}
`,
  );
  const child = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { stdio: 'ignore' });
  await listening(port, child);
  return {
    base: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
