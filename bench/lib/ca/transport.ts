// HTTPS for the bench's ACME client: one keep-alive agent trusting only the CA under test,
// a deadline on every request, and a cap on every answer. A server under load that stalls
// or sends too much fails that one order with a clear message; it never hangs the bench.
import { Agent, request } from 'node:https';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface HttpsTransportOptions {
  /** PEM of the root that signed the server's HTTPS certificate (nothing else is trusted). */
  readonly caPem: string;
  /** Deadline of one request, answer included (default 30 s). */
  readonly timeoutMs?: number;
  /** Answers above this many bytes fail the request (default 1 MiB). */
  readonly maxBodyBytes?: number;
}

export interface HttpsTransport {
  send(
    method: 'GET' | 'HEAD' | 'POST',
    url: string,
    headers?: Record<string, string>,
    body?: string,
  ): Promise<HttpAnswer>;
  /** Destroys every socket, busy ones too (their requests fail); later sends fail at once. */
  close(): void;
}

export function httpsTransport(options: HttpsTransportOptions): HttpsTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const agent = new Agent({ keepAlive: true, ca: options.caPem });
  let closed = false;
  return {
    send: (method, url, headers = {}, body) =>
      new Promise((resolve, reject) => {
        if (closed) {
          reject(new Error(`${method} ${url}: the transport is closed`));
          return;
        }
        const req = request(url, {
          method,
          agent,
          headers: {
            ...headers,
            ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBody) {
              res.destroy();
              reject(new RangeError(`${method} ${url}: answer over ${maxBody} bytes`));
            } else chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        });
        req.on('error', (error) => {
          reject(new Error(`${method} ${url}: ${error.message}`, { cause: error }));
        });
        req.end(body);
      }),
    close: () => {
      closed = true;
      agent.destroy();
    },
  };
}

/** One header's value (the first, when repeated). */
export function headerOf(answer: HttpAnswer, name: string): string | undefined {
  const v = answer.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
