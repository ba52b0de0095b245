import { type Finding, finding } from '../findings/index.ts';
import type { HttpFacts, HttpsFacts, PlainHttpFacts, PlainHttpResult } from '../http-facts.ts';

/** http.hsts-short below one year (RFC 6797 leaves it open; hstspreload.org asks a year). */
export const HSTS_MIN_MAX_AGE = 31_536_000;

/** HSTS, compressed responses and the plain HTTP redirect, for endpoints that speak HTTP. */
export function httpFindings(facts: HttpFacts): Finding[] {
  if (!facts.speaksHttp) return [];
  return [
    ...hstsFindings(facts.https),
    ...breachFindings(facts.https),
    ...redirectFindings(facts.plainHttp),
  ];
}

function hstsFindings(https: HttpsFacts): Finding[] {
  const hsts = https.hsts;
  if (https.result !== 'response' || hsts === undefined) return [];
  const status = https.status ?? 0;
  if (hsts === null) {
    return [
      finding('http.hsts-missing', {
        evidence: `GET / over TLS answered ${status} without a Strict-Transport-Security header.`,
        details: { status },
      }),
    ];
  }
  const first = hsts.values[0] ?? '';
  const headers = hsts.values.length;
  const others = headers > 1 ? ` (${headers} such headers; browsers heed the first)` : '';
  if (!hsts.valid || hsts.maxAge === undefined) {
    const problem = hsts.problem ?? 'it is not valid';
    return [
      finding('http.hsts-missing', {
        evidence: `GET / over TLS answered ${status} with a Strict-Transport-Security header that browsers ignore, as ${problem}: "${first}"${others}.`,
        details: { status, header: first, problem, headers },
      }),
    ];
  }
  if (hsts.maxAge >= HSTS_MIN_MAX_AGE) return [];
  const meaning =
    hsts.maxAge === 0
      ? 'which tells browsers to forget HSTS for this host'
      : `shorter than a year (${HSTS_MIN_MAX_AGE})`;
  return [
    finding('http.hsts-short', {
      evidence: `Strict-Transport-Security max-age=${hsts.maxAge} (${days(hsts.maxAge)}), ${meaning}: "${first}"${others}.`,
      details: { maxAge: hsts.maxAge, header: first, headers },
    }),
  ];
}

function days(seconds: number): string {
  const d = seconds / 86_400;
  return d >= 1 ? `${Math.floor(d)} day${Math.floor(d) === 1 ? '' : 's'}` : `${seconds} s`;
}

function breachFindings(https: HttpsFacts): Finding[] {
  const codings = https.contentEncoding ?? [];
  if (https.result !== 'response' || codings.length === 0) return [];
  return [
    finding('vuln.breach', {
      evidence: `GET / over TLS, sent with Accept-Encoding: gzip, deflate, br, came back with Content-Encoding: ${codings.join(', ')}.`,
      details: { contentEncoding: codings },
    }),
  ];
}

/** What is wrong with each plain HTTP answer that is a finding, after "GET / on plain HTTP port N". */
const REDIRECT_PROBLEMS: Partial<Record<PlainHttpResult, (p: PlainHttpFacts) => string>> = {
  'no-redirect': (p) => `answered ${p.status ?? '?'} instead of redirecting to https://`,
  'redirects-not-https': (p) =>
    `answered ${p.status ?? '?'} with a redirect to "${p.location ?? ''}", which is not an https:// URL`,
  'redirects-to-other-host': (p) =>
    `answered ${p.status ?? '?'} with a redirect to "${p.location ?? ''}", on another host: plain HTTP does not lead to this host's HTTPS`,
};

function redirectFindings(plain: PlainHttpFacts): Finding[] {
  const problem = REDIRECT_PROBLEMS[plain.result];
  if (problem === undefined) return [];
  return [
    finding('http.no-https-redirect', {
      evidence: `GET / on plain HTTP port ${plain.port ?? '?'} ${problem(plain)}.`,
      details: {
        result: plain.result,
        ...(plain.port === null ? {} : { port: plain.port }),
        ...(plain.status === undefined ? {} : { status: plain.status }),
        ...(plain.location === undefined ? {} : { location: plain.location }),
      },
    }),
  ];
}
