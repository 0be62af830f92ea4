import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * The only way `check` talks to the network. It is bound to one origin when it is made and takes
 * paths, never URLs, so no probe can reach another host; it never follows a redirect; it counts every
 * request against a hard cap and refuses the one past it; and every request has a deadline. Requests
 * go one at a time over one kept-alive connection, so the API sees a single polite client.
 *
 * Raw `node:http` rather than fetch: fetch refuses TRACE, adds headers of its own and always sends a
 * content type with a string body, and the probes need to control all of that.
 */
export interface SentRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface ReceivedResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The start of the body (at most MAX_BODY_BYTES), as text. */
  readonly body: string;
}

export interface Client {
  readonly origin: string;
  readonly maxRequests: number;
  /** Requests sent so far (or attempted: a request that failed still counts). */
  readonly sent: number;
  send(request: SentRequest): Promise<ReceivedResponse>;
  /** The address this client's connection came from (as the API's host sees it, unless a NAT is between), once one answered. */
  localAddress(): string | undefined;
  /** A bare connection to the origin, for what HTTP clients cannot do (slow headers). Counts as a request. */
  openSocket(): Promise<Socket>;
  close(): void;
}

/** The cap was reached: the request was not sent. */
export class RequestCapReached extends Error {
  constructor(max: number) {
    super(`the request cap (--max-requests ${max}) was reached`);
    this.name = 'RequestCapReached';
  }
}

/** The request was sent (or tried) but no response came back. */
export class RequestFailed extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RequestFailed';
  }
}

/**
 * The API refused the name the request was sent to (421 Misdirected Request, RFC 9110: a host
 * allowlist against DNS rebinding, such as a generated project's ALLOWED_HOSTS, or a TLS server
 * for other names). Every later answer would be that refusal, not the route's: nothing can be judged.
 */
export class HostRefused extends Error {
  constructor(host: string, described: string) {
    super(
      `${described}: the API does not serve the name ${host} (a host allowlist, such as ALLOWED_HOSTS in a generated project); scan it by a name it serves, or allow this one while you scan; nothing was judged`,
    );
    this.name = 'HostRefused';
  }
}

const MAX_BODY_BYTES = 256 * 1024;

/**
 * Sent on every request, as a browser sends it: an API behind compression (the `compression`
 * middleware, a proxy's gzip) answers what browsers get, and an error body is read as they read it.
 * A truncated stream (a body cut at the cap, a reset) still gives what was decoded.
 */
const ACCEPT_ENCODING = 'gzip, deflate, br';
const DECODERS: Readonly<Record<string, () => NodeJS.ReadWriteStream>> = {
  gzip: () => createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }),
  'x-gzip': () => createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }),
  deflate: () => createInflate({ finishFlush: constants.Z_SYNC_FLUSH }),
  br: () => createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH }),
};

/** The body as sent, or decoded when the server compressed it (whether asked or not). */
function decoded(response: IncomingMessage): Readable {
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  const decoder = encoding === undefined ? undefined : DECODERS[encoding]?.();
  return decoder ? (response.pipe(decoder) as unknown as Readable) : response;
}

const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
};

/** Node's codes for a certificate no CA it trusts has signed. */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

function describeNetworkError(error: Error & { code?: string }): string {
  // Node's HTTP parser (HPE_*) refused the answer: from its first bytes, something else listens there.
  if (error.code === 'HPE_INVALID_CONSTANT') return `the answer is not HTTP (${error.message}): is this the API's port?`;
  if (error.code === 'HPE_HEADER_OVERFLOW') return "the answer's headers are over Node's 16 KB limit";
  if (error.code?.startsWith('HPE_')) return `the answer is not valid HTTP (${error.message})`;
  if (error.code === 'EPROTO' || error.code === 'ERR_SSL_WRONG_VERSION_NUMBER') return 'the TLS handshake failed: does this port speak https?';
  if (error.code && UNTRUSTED_CERTIFICATE.has(error.code)) {
    return `the certificate is not trusted (${error.message}): for a private CA, run check with NODE_EXTRA_CA_CERTS=<the CA's certificate, PEM>`;
  }
  if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the certificate does not name this host (${error.message})`;
  if (error.code === 'CERT_HAS_EXPIRED' || error.code === 'CERT_NOT_YET_VALID') return `the certificate is not valid now (${error.message})`;
  return (error.code && NETWORK_ERRORS[error.code]) ?? error.message;
}

function headersOf(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function createClient(target: URL, limits: { maxRequests: number; timeoutMs: number; userAgent: string }): Client {
  const secure = target.protocol === 'https:';
  const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(target.port || (secure ? 443 : 80));
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 1 }) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const request = secure ? httpsRequest : httpRequest;
  let sent = 0;
  let local: string | undefined;

  const count = () => {
    if (sent >= limits.maxRequests) throw new RequestCapReached(limits.maxRequests);
    sent += 1;
  };

  async function send(outgoing: SentRequest): Promise<ReceivedResponse> {
    const response = await exchange(outgoing);
    if (response.status === 421) throw new HostRefused(target.host, `${outgoing.method} ${outgoing.path} → 421`);
    return response;
  }

  function exchange(outgoing: SentRequest): Promise<ReceivedResponse> {
    if (!outgoing.path.startsWith('/')) throw new Error(`a probe asked for ${outgoing.path}: only paths on ${target.origin} are sent`);
    count();
    const headers: Record<string, string> = { 'user-agent': limits.userAgent, 'accept-encoding': ACCEPT_ENCODING, ...outgoing.headers };
    if (outgoing.body !== undefined) headers['content-length'] = String(Buffer.byteLength(outgoing.body));
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request({ hostname, port, method: outgoing.method, path: outgoing.path, headers, agent });
      const timer = setTimeout(() => req.destroy(new RequestFailed(`no answer within ${limits.timeoutMs / 1000} s`)), limits.timeoutMs);
      const failed = (error: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(error instanceof RequestFailed ? error : new RequestFailed(describeNetworkError(error), { cause: error }));
      };
      req.on('error', (error) => {
        // A server may answer (a 413, say) before it has read the whole body and then close the
        // connection: the answer counts, the error on the rest of the upload does not.
        if (!answered) failed(error);
      });
      req.on('response', (response) => {
        answered = true;
        local = response.socket?.localAddress?.replace(/^::ffff:/, '') ?? local;
        const body = decoded(response);
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, headers: headersOf(response), body: Buffer.concat(chunks).toString('utf8') });
        };
        body.on('data', (chunk: Buffer) => {
          chunks.push(chunk.subarray(0, MAX_BODY_BYTES - kept));
          kept += chunk.length;
          // The start is all any probe reads: the rest of a huge or endless body is not downloaded,
          // which would cost the API its bandwidth and the run a deadline per request.
          if (kept >= MAX_BODY_BYTES) {
            done();
            response.destroy();
            body.destroy();
          }
        });
        body.on('end', done);
        // Cut off mid-body (a reset after the headers), or a compressed body that is not: what
        // arrived is still the answer.
        body.on('error', done);
        response.on('error', done);
        response.on('aborted', done);
      });
      req.end(outgoing.body);
    });
  }

  function openSocket(): Promise<Socket> {
    count();
    return new Promise((resolve, reject) => {
      const socket: Socket = secure ? tlsConnect({ host: hostname, port, ...(isIP(hostname) ? {} : { servername: hostname }) }) : netConnect({ host: hostname, port });
      const timer = setTimeout(() => socket.destroy(new RequestFailed(`no connection within ${limits.timeoutMs / 1000} s`)), limits.timeoutMs);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error instanceof RequestFailed ? error : new RequestFailed(describeNetworkError(error), { cause: error }));
      });
    });
  }

  return {
    origin: target.origin,
    maxRequests: limits.maxRequests,
    get sent() {
      return sent;
    },
    send,
    localAddress: () => local,
    openSocket,
    close: () => agent.destroy(),
  };
}
