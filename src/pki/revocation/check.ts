import { type Fetcher, fetchWithin } from '../fetcher.ts';
import type { ParsedCertificate } from '../parsed-certificate.ts';
import { checkCrl } from './crl.ts';
import { buildOcspRequest } from './ocsp-request.ts';
import { checkOcspResponse } from './ocsp-response.ts';
import { type RevocationFacts, unavailable } from './revocation-facts.ts';

export interface RevocationOptions {
  readonly cert: ParsedCertificate;
  /** The leaf's issuer from the built path; undefined when it could not be found. */
  readonly issuer: ParsedCertificate | undefined;
  /** The leaf's OCSP responder URLs (AIA) and CRL distribution points. */
  readonly ocspUrls: readonly string[];
  readonly crlUrls: readonly string[];
  readonly now: Date;
  /** Ask the OCSP responder and download the CRL; without, only a staple is read. */
  readonly online: boolean;
  /** null: nothing is fetched (online sources are then `unavailable`). */
  readonly fetcher: Fetcher | null;
  /** The OCSP response the server stapled, DER. */
  readonly stapledOcsp?: Uint8Array | undefined;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** An OCSP answer is a few KB; a responder sending more is broken or hostile. */
export const OCSP_MAX_BYTES = 64 * 1024;
/** Big public CAs shard their CRLs to a few MB; an unsharded one past this is not read. */
export const CRL_MAX_BYTES = 10 * 1024 * 1024;

const NO_ISSUER = 'the issuer certificate is not known, so the answer cannot be verified';

type Online = (
  url: string,
  issuer: ParsedCertificate,
  fetcher: Fetcher,
) => Promise<RevocationFacts>;

async function askResponder(
  o: RevocationOptions,
  url: string,
  issuer: ParsedCertificate,
  fetcher: Fetcher,
): Promise<RevocationFacts> {
  const body = await fetchWithin(fetcher, {
    url,
    method: 'POST',
    body: buildOcspRequest(o.cert, issuer),
    contentType: 'application/ocsp-request',
    maxBytes: OCSP_MAX_BYTES,
    timeoutMs: o.timeoutMs,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });
  return checkOcspResponse(body, { cert: o.cert, issuer, now: o.now, source: 'ocsp', url });
}

async function downloadCrl(
  o: RevocationOptions,
  url: string,
  issuer: ParsedCertificate,
  fetcher: Fetcher,
): Promise<RevocationFacts> {
  const body = await fetchWithin(fetcher, {
    url,
    method: 'GET',
    maxBytes: CRL_MAX_BYTES,
    timeoutMs: o.timeoutMs,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });
  return checkCrl(body, { cert: o.cert, issuer, now: o.now, url });
}

/** One online source: its first http URL, fetched and judged; failures become facts. */
async function online(
  o: RevocationOptions,
  source: 'ocsp' | 'crl',
  urls: readonly string[],
  ask: Online,
): Promise<RevocationFacts | undefined> {
  if (urls.length === 0) return undefined;
  const url = urls.find((u) => u.startsWith('http://')) ?? (urls[0] as string);
  if (o.fetcher === null) return unavailable(source, 'fetching is turned off', url);
  if (o.issuer === undefined) return unavailable(source, NO_ISSUER, url);
  try {
    return await ask(url, o.issuer, o.fetcher);
  } catch (err) {
    return unavailable(source, err instanceof Error ? err.message : String(err), url);
  }
}

/**
 * What the revocation sources say about the leaf: the stapled OCSP answer when there is
 * one, and with `online`, its OCSP responder and its CRL, concurrently. One fact per
 * source consulted; never throws.
 */
export async function checkRevocation(o: RevocationOptions): Promise<RevocationFacts[]> {
  const out: RevocationFacts[] = [];
  if (o.stapledOcsp !== undefined) {
    out.push(
      o.issuer === undefined
        ? unavailable('ocsp-stapled', NO_ISSUER)
        : checkOcspResponse(o.stapledOcsp, {
            cert: o.cert,
            issuer: o.issuer,
            now: o.now,
            source: 'ocsp-stapled',
          }),
    );
  }
  if (!o.online) return out;
  const asked = await Promise.all([
    online(o, 'ocsp', o.ocspUrls, (url, issuer, f) => askResponder(o, url, issuer, f)),
    online(o, 'crl', o.crlUrls, (url, issuer, f) => downloadCrl(o, url, issuer, f)),
  ]);
  for (const fact of asked) if (fact !== undefined) out.push(fact);
  return out;
}
