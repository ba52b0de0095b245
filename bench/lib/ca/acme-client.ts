// The bench's ACME client (RFC 8555): an ES256 account key, JWS by jose, one keep-alive
// HTTPS transport, and one complete order at a time — newOrder, each authorization's
// http-01 challenge, polling (Retry-After honoured), finalize with a fresh P-256 CSR, and
// the chain, checked before it counts. The same code drives wiretight and pebble, so the
// two are measured with one client. badNonce is retried, as RFC 8555 §6.5 asks.
import { type KeyObject, generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CryptoKey,
  FlattenedSign,
  type JWK,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
} from 'jose';
import { buildCsr } from '../../../src/acme/testdata/csr.ts';
import type { ChallengeBoard } from './challenge-board.ts';
import { chainProblem } from './chain-check.ts';
import { retryAfterMs } from './retry-after.ts';
import { type HttpAnswer, type HttpsTransport, headerOf } from './transport.ts';

type Json = Readonly<Record<string, unknown>>;

export interface AcmeReply {
  readonly status: number;
  readonly location: string | undefined;
  readonly retryAfter: string | undefined;
  readonly json: Json | undefined;
  readonly text: string;
}

/** Where one order's time went, in ms. */
export interface OrderSteps {
  readonly newOrder: number;
  /** Authorizations read, challenges posted and polled until valid. */
  readonly authorize: number;
  /** Key and CSR made, finalize posted and the order polled until valid. */
  readonly finalize: number;
  readonly download: number;
}

export interface OrderOutcome {
  readonly chainPem: string;
  readonly steps: OrderSteps;
  /** HTTP requests the order took (polls and nonce fetches included). */
  readonly requests: number;
}

export interface AcmeClientOptions {
  /** Poll interval when the server sends no Retry-After (default 100 ms). */
  readonly pollMs?: number;
  /** Give up polling one object after this long (default 60 s: pebble sleeps up to 15 s). */
  readonly pollDeadlineMs?: number;
}

const MAX_BAD_NONCE_RETRIES = 5;
const PEM_CHAIN = 'application/pem-certificate-chain';

const str = (obj: Json | undefined, key: string): string | undefined => {
  const v = obj?.[key];
  return typeof v === 'string' ? v : undefined;
};

function describe(reply: AcmeReply): string {
  const type = str(reply.json, 'type')?.replace('urn:ietf:params:acme:error:', '');
  const detail = str(reply.json, 'detail');
  return type === undefined
    ? `HTTP ${reply.status} ${reply.text.slice(0, 200)}`
    : `HTTP ${reply.status} ${type}: ${detail ?? ''}`;
}

function toReply(answer: HttpAnswer): AcmeReply {
  const text = answer.body.toString('utf8');
  let json: Json | undefined;
  if ((headerOf(answer, 'content-type') ?? '').includes('json') && text.length > 0) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        json = parsed as Json;
    } catch {
      // left undefined: the caller reports the status and the text
    }
  }
  return {
    status: answer.status,
    location: headerOf(answer, 'location'),
    retryAfter: headerOf(answer, 'retry-after'),
    json,
    text,
  };
}

export class AcmeClient {
  readonly #transport: HttpsTransport;
  readonly #directory: Json;
  readonly #key: CryptoKey;
  readonly #jwk: JWK;
  readonly #thumbprint: string;
  readonly #pollMs: number;
  readonly #pollDeadlineMs: number;
  #kid: string | undefined;
  #nonce: string | undefined;
  #requests = 0;

  private constructor(
    transport: HttpsTransport,
    directory: Json,
    key: { privateKey: CryptoKey; jwk: JWK; thumbprint: string },
    options: AcmeClientOptions,
  ) {
    this.#transport = transport;
    this.#directory = directory;
    this.#key = key.privateKey;
    this.#jwk = key.jwk;
    this.#thumbprint = key.thumbprint;
    this.#pollMs = options.pollMs ?? 100;
    this.#pollDeadlineMs = options.pollDeadlineMs ?? 60_000;
  }

  /** Reads the directory and registers a fresh ES256 account. */
  static async register(
    transport: HttpsTransport,
    directoryUrl: string,
    options: AcmeClientOptions = {},
  ): Promise<AcmeClient> {
    const dir = toReply(await transport.send('GET', directoryUrl));
    if (dir.status !== 200 || dir.json === undefined) {
      throw new Error(`directory ${directoryUrl}: ${describe(dir)}`);
    }
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
    const client = new AcmeClient(transport, dir.json, { privateKey, jwk, thumbprint }, options);
    const res = await client.#post(client.#url('newAccount'), { termsOfServiceAgreed: true });
    if ((res.status !== 201 && res.status !== 200) || res.location === undefined) {
      throw new Error(`newAccount: ${describe(res)}`);
    }
    client.#kid = res.location;
    return client;
  }

  #url(name: string): string {
    const url = str(this.#directory, name);
    if (url === undefined) throw new Error(`the directory has no ${name}`);
    return url;
  }

  async #freshNonce(): Promise<string> {
    this.#requests++;
    const res = await this.#transport.send('HEAD', this.#url('newNonce'));
    const nonce = headerOf(res, 'replay-nonce');
    if (nonce === undefined) throw new Error(`newNonce: HTTP ${res.status} without Replay-Nonce`);
    return nonce;
  }

  /** A signed POST; payload '' is POST-as-GET. Retries badNonce with the nonce it carries. */
  async #post(url: string, payload: Json | '', accept?: string): Promise<AcmeReply> {
    for (let attempt = 0; ; attempt++) {
      const nonce = this.#nonce ?? (await this.#freshNonce());
      this.#nonce = undefined;
      const bytes =
        payload === '' ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(payload));
      const jws = await new FlattenedSign(bytes)
        .setProtectedHeader({
          alg: 'ES256',
          nonce,
          url,
          ...(this.#kid === undefined ? { jwk: this.#jwk } : { kid: this.#kid }),
        })
        .sign(this.#key);
      this.#requests++;
      const answer = await this.#transport.send(
        'POST',
        url,
        { 'content-type': 'application/jose+json', ...(accept === undefined ? {} : { accept }) },
        JSON.stringify(jws),
      );
      this.#nonce = headerOf(answer, 'replay-nonce');
      const reply = toReply(answer);
      const badNonce = str(reply.json, 'type') === 'urn:ietf:params:acme:error:badNonce';
      if (!badNonce || attempt >= MAX_BAD_NONCE_RETRIES) return reply;
    }
  }

  /** POST-as-GET until `done(json)`, waiting Retry-After (or the poll interval) between reads. */
  async #pollUntil(
    url: string,
    first: AcmeReply,
    done: (status: string) => boolean,
  ): Promise<Json> {
    const deadline = performance.now() + this.#pollDeadlineMs;
    let reply = first;
    for (;;) {
      const status = str(reply.json, 'status');
      if (reply.status !== 200 || status === undefined)
        throw new Error(`${url}: ${describe(reply)}`);
      if (done(status)) return reply.json!;
      if (performance.now() > deadline)
        throw new Error(`${url}: still ${status} after ${this.#pollDeadlineMs} ms`);
      await sleep(retryAfterMs(reply.retryAfter, this.#pollMs));
      reply = await this.#post(url, '');
    }
  }

  async #authorize(authzUrl: string, board: ChallengeBoard): Promise<void> {
    const authz = await this.#post(authzUrl, '');
    if (str(authz.json, 'status') === 'valid') return;
    const challenges = authz.json?.['challenges'];
    const http01 = Array.isArray(challenges)
      ? (challenges as Json[]).find((c) => str(c, 'type') === 'http-01')
      : undefined;
    const token = str(http01, 'token');
    const url = str(http01, 'url');
    if (token === undefined || url === undefined)
      throw new Error(`${authzUrl}: no http-01 challenge: ${describe(authz)}`);
    board.put(token, `${token}.${this.#thumbprint}`);
    try {
      const posted = await this.#post(url, {});
      if (posted.status !== 200) throw new Error(`challenge ${url}: ${describe(posted)}`);
      if (str(posted.json, 'status') === 'valid') return;
      const final = await this.#pollUntil(
        authzUrl,
        await this.#post(authzUrl, ''),
        (s) => s !== 'pending',
      );
      if (final['status'] !== 'valid')
        throw new Error(`${authzUrl}: ${JSON.stringify(final).slice(0, 400)}`);
    } finally {
      board.remove(token);
    }
  }

  /** One whole order for `dnsName`; throws with the server's problem when any step fails. */
  async order(dnsName: string, board: ChallengeBoard): Promise<OrderOutcome> {
    const requests0 = this.#requests;
    const t0 = performance.now();
    const created = await this.#post(this.#url('newOrder'), {
      identifiers: [{ type: 'dns', value: dnsName }],
    });
    const orderUrl = created.location;
    const authzs = created.json?.['authorizations'];
    const finalizeUrl = str(created.json, 'finalize');
    if (
      created.status !== 201 ||
      orderUrl === undefined ||
      !Array.isArray(authzs) ||
      finalizeUrl === undefined
    ) {
      throw new Error(`newOrder: ${describe(created)}`);
    }
    // One identifier was ordered: a server listing more authorizations is broken or hostile.
    if (authzs.length !== 1)
      throw new Error(`newOrder: ${authzs.length} authorizations for one name`);
    const t1 = performance.now();
    for (const authzUrl of authzs) {
      if (typeof authzUrl !== 'string')
        throw new Error(`newOrder: authorization ${String(authzUrl)}`);
      await this.#authorize(authzUrl, board);
    }
    const t2 = performance.now();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const csr = Buffer.from(
      buildCsr({ identifiers: [{ type: 'dns', value: dnsName }], privateKey, publicKey }),
    ).toString('base64url');
    let finalized = await this.#post(finalizeUrl, { csr });
    if (str(finalized.json, 'type') === 'urn:ietf:params:acme:error:orderNotReady') {
      // A server may move the order to ready a moment after the authorization turns valid.
      await this.#pollUntil(orderUrl, await this.#post(orderUrl, ''), (s) => s !== 'pending');
      finalized = await this.#post(finalizeUrl, { csr });
    }
    const order = await this.#pollUntil(
      orderUrl,
      finalized,
      (s) => s !== 'processing' && s !== 'ready',
    );
    const certificateUrl = str(order, 'certificate');
    if (order['status'] !== 'valid' || certificateUrl === undefined) {
      throw new Error(`finalize: ${JSON.stringify(order).slice(0, 400)}`);
    }
    const t3 = performance.now();
    const chain = await this.#post(certificateUrl, '', PEM_CHAIN);
    if (chain.status !== 200) throw new Error(`certificate: ${describe(chain)}`);
    const t4 = performance.now();
    verifyChain(chain.text, dnsName, publicKey);
    return {
      chainPem: chain.text,
      steps: { newOrder: t1 - t0, authorize: t2 - t1, finalize: t3 - t2, download: t4 - t3 },
      requests: this.#requests - requests0,
    };
  }
}

function verifyChain(chainPem: string, dnsName: string, publicKey: KeyObject): void {
  const problem = chainProblem(chainPem, dnsName, publicKey);
  if (problem !== undefined) throw new Error(`certificate for ${dnsName}: ${problem}`);
}
