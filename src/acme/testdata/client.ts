// A small ACME client for the unit tests: it signs every request itself with jose, so a
// test can also sign what no real client would (a wrong url, a replayed nonce, a foreign
// key). It talks through a transport: fastify's inject, or real HTTPS.
// Test-only (testdata/ is not built).
import { Agent, request as httpsRequest } from 'node:https';
import type { FastifyInstance } from 'fastify';
import {
  type CryptoKey,
  FlattenedSign,
  type JWK,
  type JWSHeaderParameters,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
} from 'jose';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: string;
}

export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export type Transport = (req: HttpRequest) => Promise<HttpResponse>;

export function injectTransport(app: FastifyInstance): Transport {
  return async ({ method, url, headers, body }) => {
    const res = await app.inject({
      method,
      url: new URL(url).pathname + new URL(url).search,
      ...(headers === undefined ? {} : { headers }),
      ...(body === undefined ? {} : { payload: body }),
    });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  };
}

export function httpsTransport(caPem: string): Transport {
  // Keep-alive, as real clients do: one TLS handshake per connection, not per request.
  const agent = new Agent({ keepAlive: true, ca: caPem, maxSockets: 4 });
  return ({ method, url, headers, body }) =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method, headers: headers ?? {}, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

export interface AccountKeyPair {
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

export async function newAccountKey(alg = 'ES256'): Promise<AccountKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  });
  return { alg, privateKey, jwk: await exportJWK(publicKey) };
}

export const b64u = (data: Uint8Array | string): string => Buffer.from(data).toString('base64url');

/** A flattened JWS with exactly the protected header given. */
export async function signJws(
  payload: unknown,
  header: JWSHeaderParameters,
  key: CryptoKey | Uint8Array,
): Promise<{ protected: string; payload: string; signature: string }> {
  const bytes =
    payload === '' ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(payload));
  const jws = await new FlattenedSign(bytes).setProtectedHeader(header).sign(key);
  return { protected: jws.protected ?? '', payload: jws.payload, signature: jws.signature };
}

export interface PostOptions {
  /** Sign with the embedded jwk instead of the account's kid. */
  readonly jwk?: boolean;
  readonly key?: AccountKeyPair;
  readonly nonce?: string;
  /** The header's url, when it should differ from the request's. */
  readonly headerUrl?: string;
  readonly extraHeader?: Record<string, unknown>;
  readonly contentType?: string;
}

/** The fields of ACME objects and problems the tests read (everything is optional). */
export interface AcmeJson {
  readonly [key: string]: unknown;
  readonly status?: string | number;
  readonly type?: string;
  readonly detail?: string;
  readonly url?: string;
  readonly token?: string;
  readonly finalize?: string;
  readonly certificate?: string;
  readonly replaces?: string;
  readonly expires?: string;
  readonly validated?: string;
  readonly contact?: string[];
  readonly orders?: string | string[];
  readonly authorizations?: string[];
  readonly algorithms?: string[];
  readonly identifier?: { type: string; value: string };
  readonly identifiers?: { type: string; value: string }[];
  readonly challenges?: AcmeJson[];
  readonly subproblems?: AcmeJson[];
  readonly error?: AcmeJson;
  readonly wildcard?: boolean;
  readonly suggestedWindow?: { start: string; end: string };
}

export interface AcmeResponse extends HttpResponse {
  /** The parsed JSON body; empty when the reply has none. */
  readonly json: AcmeJson;
}

const header = (res: HttpResponse, name: string): string | undefined => {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v === undefined ? undefined : String(v);
};

export class TestAcmeClient {
  readonly transport: Transport;
  readonly baseUrl: string;
  key: AccountKeyPair;
  kid: string | undefined;
  directory: Record<string, string> = {};
  #nonce: string | undefined;

  constructor(transport: Transport, baseUrl: string, key: AccountKeyPair) {
    this.transport = transport;
    this.baseUrl = baseUrl;
    this.key = key;
  }

  static async create(
    transport: Transport,
    baseUrl: string,
    alg = 'ES256',
  ): Promise<TestAcmeClient> {
    const client = new TestAcmeClient(transport, baseUrl, await newAccountKey(alg));
    const res = await transport({ method: 'GET', url: `${baseUrl}/acme/directory` });
    client.directory = JSON.parse(res.body) as Record<string, string>;
    return client;
  }

  endpoint(name: string): string {
    const url = this.directory[name];
    if (url === undefined) throw new TypeError(`the directory has no ${name}`);
    return url;
  }

  async thumbprint(): Promise<string> {
    return calculateJwkThumbprint(this.key.jwk, 'sha256');
  }

  async freshNonce(): Promise<string> {
    const res = await this.transport({ method: 'HEAD', url: this.endpoint('newNonce') });
    const nonce = header(res, 'replay-nonce');
    if (nonce === undefined) throw new TypeError('newNonce answered no Replay-Nonce');
    return nonce;
  }

  async nonce(): Promise<string> {
    const n = this.#nonce ?? (await this.freshNonce());
    this.#nonce = undefined;
    return n;
  }

  /** Sends `body` as it is (for hostile-body tests). */
  async raw(
    url: string,
    body: string | Buffer,
    contentType = 'application/jose+json',
  ): Promise<AcmeResponse> {
    return this.#send(url, body, contentType);
  }

  /**
   * Signs and POSTs; payload '' is POST-as-GET. Like real clients it retries once with the
   * fresh nonce of a badNonce reply, unless the test chose the nonce.
   */
  async post(url: string, payload: unknown, options: PostOptions = {}): Promise<AcmeResponse> {
    const res = await this.#post(url, payload, options);
    const badNonce = res.json.type === 'urn:ietf:params:acme:error:badNonce';
    return badNonce && options.nonce === undefined ? this.#post(url, payload, options) : res;
  }

  async #post(url: string, payload: unknown, options: PostOptions): Promise<AcmeResponse> {
    const key = options.key ?? this.key;
    const protectedHeader: JWSHeaderParameters = {
      alg: key.alg,
      nonce: options.nonce ?? (await this.nonce()),
      url: options.headerUrl ?? url,
      ...(options.jwk === true || this.kid === undefined ? { jwk: key.jwk } : { kid: this.kid }),
      ...options.extraHeader,
    };
    const jws = await signJws(payload, protectedHeader, key.privateKey);
    return this.#send(url, JSON.stringify(jws), options.contentType ?? 'application/jose+json');
  }

  async #send(url: string, body: string | Buffer, contentType: string): Promise<AcmeResponse> {
    const res = await this.transport({
      method: 'POST',
      url,
      headers: { 'content-type': contentType },
      body,
    });
    this.#nonce = header(res, 'replay-nonce') ?? this.#nonce;
    const type = header(res, 'content-type') ?? '';
    const json = (
      type.includes('json') && res.body.length > 0 ? JSON.parse(res.body) : {}
    ) as AcmeJson;
    return { ...res, json };
  }

  location(res: HttpResponse): string {
    const loc = header(res, 'location');
    if (loc === undefined)
      throw new TypeError(`no Location header (status ${res.status}: ${res.body})`);
    return loc;
  }

  async newAccount(
    payload: Record<string, unknown> = { termsOfServiceAgreed: true },
  ): Promise<AcmeResponse> {
    const res = await this.post(this.endpoint('newAccount'), payload, { jwk: true });
    if (res.status === 201 || res.status === 200) this.kid = this.location(res);
    return res;
  }

  async newOrder(
    identifiers: readonly { type: string; value: string }[],
    extra: Record<string, unknown> = {},
  ): Promise<AcmeResponse> {
    return this.post(this.endpoint('newOrder'), { identifiers, ...extra });
  }

  async get(url: string): Promise<AcmeResponse> {
    return this.post(url, '');
  }
}
