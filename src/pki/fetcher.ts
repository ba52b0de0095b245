import { request } from 'node:http';
import { WiretightError } from '../errors.ts';

/** One HTTP exchange verification needs: an AIA issuer, an OCSP answer, a CRL. */
export interface FetchRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly body?: Uint8Array;
  /** Content-Type of `body` (OCSP: `application/ocsp-request`). */
  readonly contentType?: string;
  /** The download stops, and fails, past this many bytes. */
  readonly maxBytes: number;
  /** Deadline for the whole exchange, connect to last byte. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Resolves with the body of a 200 answer; rejects (WT_ERR_PKI_FETCH) on anything else. */
export type Fetcher = (request: FetchRequest) => Promise<Uint8Array>;

const fetchError = (url: string, why: string, cause?: unknown): WiretightError =>
  new WiretightError('WT_ERR_PKI_FETCH', `${url}: ${why}`, { cause });

/**
 * The default fetcher: node:http, plain `http://` only (AIA, OCSP and CRL URLs are plain
 * HTTP by design: the data is signed, and fetching it over TLS would need the very chain
 * being checked). No redirects, no keep-alive, one deadline, and a byte cap checked both
 * against Content-Length and while reading.
 *
 * The URLs come from certificates a server chose, so a scan may make the scanner send a
 * GET or POST to an address the server names; callers that must not (scans from inside a
 * sensitive network) pass `fetcher: null` to verifyCertificates.
 */
export const httpFetcher: Fetcher = (req) =>
  new Promise<Uint8Array>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      reject(fetchError(req.url, 'not a URL'));
      return;
    }
    if (url.protocol !== 'http:') {
      reject(fetchError(req.url, 'only http:// URLs are fetched'));
      return;
    }
    let settled = false;
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (err: WiretightError | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      if (err === undefined) {
        resolve(new Uint8Array(Buffer.concat(chunks)));
      } else {
        outgoing.destroy();
        reject(err);
      }
    };
    const onAbort = (): void => finish(fetchError(req.url, 'cancelled'));
    const timer = setTimeout(
      () => finish(fetchError(req.url, `no complete answer within ${req.timeoutMs} ms`)),
      req.timeoutMs,
    );
    const headers: Record<string, string | number> = { connection: 'close' };
    if (req.body !== undefined) {
      headers['content-type'] = req.contentType ?? 'application/octet-stream';
      headers['content-length'] = req.body.length;
    }
    const outgoing = request(url, { method: req.method, headers, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        finish(fetchError(req.url, `HTTP ${res.statusCode ?? '?'}`));
        return;
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > req.maxBytes) {
        finish(
          fetchError(req.url, `announces ${declared} bytes, more than the cap of ${req.maxBytes}`),
        );
        return;
      }
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > req.maxBytes) {
          finish(fetchError(req.url, `sent more than the cap of ${req.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish(undefined));
      res.on('error', (err) => finish(fetchError(req.url, err.message, err)));
      res.on('close', () => {
        if (!res.complete) finish(fetchError(req.url, 'closed before the body was complete'));
      });
    });
    outgoing.on('error', (err: NodeJS.ErrnoException) =>
      finish(fetchError(req.url, err.code ?? err.message, err)),
    );
    if (req.signal?.aborted === true) {
      onAbort();
      return;
    }
    req.signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.end(req.body === undefined ? undefined : Buffer.from(req.body));
  });

/**
 * Runs an injected fetcher under the rules every caller needs whatever the fetcher does:
 * plain http only, and a body over the cap is an error even if the fetcher returned it.
 */
export async function fetchWithin(fetcher: Fetcher, req: FetchRequest): Promise<Uint8Array> {
  if (!req.url.startsWith('http://')) throw fetchError(req.url, 'only http:// URLs are fetched');
  const body = await fetcher(req);
  if (body.length > req.maxBytes) {
    throw fetchError(req.url, `sent ${body.length} bytes, more than the cap of ${req.maxBytes}`);
  }
  return body;
}
