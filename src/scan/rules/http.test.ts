import assert from 'node:assert/strict';
import test from 'node:test';
import type { HstsFacts, HttpFacts, HttpsFacts, PlainHttpFacts } from '../http-facts.ts';
import { httpFindings } from './http.ts';

const LONG: HstsFacts = {
  values: ['max-age=63072000; includeSubDomains'],
  valid: true,
  maxAge: 63072000,
  includeSubDomains: true,
  preload: false,
};

const REDIRECTS: PlainHttpFacts = {
  port: 80,
  result: 'redirects-to-https',
  status: 301,
  location: 'https://example.com/',
};

function facts(
  https: Partial<HttpsFacts> = {},
  plainHttp: Partial<PlainHttpFacts> = {},
): HttpFacts {
  return {
    speaksHttp: true,
    https: { result: 'response', status: 200, contentEncoding: [], hsts: LONG, ...https },
    plainHttp: { ...REDIRECTS, ...plainHttp },
  };
}

const ids = (f: HttpFacts) => httpFindings(f).map((x) => x.id);

test('long HSTS, no compression, a redirect to https: no findings', () => {
  assert.deepEqual(httpFindings(facts()), []);
});

test('HSTS at exactly a year is long enough; a second shorter one is never heeded', () => {
  const year: HstsFacts = { ...LONG, values: ['max-age=31536000', 'max-age=1'], maxAge: 31536000 };
  assert.deepEqual(ids(facts({ hsts: year })), []);
});

test('no HSTS header is http.hsts-missing', () => {
  const [found] = httpFindings(facts({ hsts: null }));
  assert.equal(found?.id, 'http.hsts-missing');
  assert.match(found?.evidence ?? '', /answered 200 without a Strict-Transport-Security header/);
});

test('an HSTS header browsers ignore is http.hsts-missing, with the problem', () => {
  const hsts: HstsFacts = {
    values: ['max-age=1y', 'max-age=63072000'],
    valid: false,
    problem: 'max-age is not a number of seconds',
  };
  const [found, ...rest] = httpFindings(facts({ hsts }));
  assert.equal(rest.length, 0);
  assert.equal(found?.id, 'http.hsts-missing');
  assert.match(
    found?.evidence ?? '',
    /max-age is not a number of seconds: "max-age=1y" \(2 such headers/,
  );
});

test('a max-age under a year is http.hsts-short with the value; zero says what it means', () => {
  const short = (maxAge: number) =>
    httpFindings(facts({ hsts: { ...LONG, values: [`max-age=${maxAge}`], maxAge } }));
  const [found] = short(86400 * 180);
  assert.equal(found?.id, 'http.hsts-short');
  assert.equal(found?.severity, 'low');
  assert.match(found?.evidence ?? '', /max-age=15552000 \(180 days\)/);
  assert.deepEqual(found?.details?.['maxAge'], 15552000);
  assert.match(short(0)[0]?.evidence ?? '', /forget HSTS/);
  assert.equal(short(31535999)[0]?.id, 'http.hsts-short');
});

test('a compressed response is a potential, low BREACH', () => {
  const [found] = httpFindings(facts({ contentEncoding: ['gzip'] }));
  assert.equal(found?.id, 'vuln.breach');
  assert.equal(found?.severity, 'low');
  assert.equal(found?.confidence, 'potential');
  assert.match(found?.evidence ?? '', /Content-Encoding: gzip/);
});

test('plain HTTP that serves, redirects to http:// or to another host is http.no-https-redirect', () => {
  const cases: [PlainHttpFacts, RegExp][] = [
    [
      { port: 80, result: 'no-redirect', status: 200 },
      /port 80 answered 200 instead of redirecting/,
    ],
    [
      { port: 80, result: 'redirects-not-https', status: 301, location: 'http://example.com/x' },
      /not an https:\/\/ URL/,
    ],
    [
      {
        port: 80,
        result: 'redirects-to-other-host',
        status: 302,
        location: 'https://other.example/',
      },
      /on another host/,
    ],
  ];
  for (const [plain, evidence] of cases) {
    const found = httpFindings(facts({}, plain));
    assert.deepEqual(
      found.map((f) => f.id),
      ['http.no-https-redirect'],
      plain.result,
    );
    assert.match(found[0]?.evidence ?? '', evidence);
    assert.equal(found[0]?.details?.['result'], plain.result);
  }
});

test('plain HTTP not listening, not HTTP, unanswered or not checked: no finding', () => {
  for (const result of ['not-listening', 'not-http', 'error', 'not-checked'] as const) {
    assert.deepEqual(ids(facts({}, { port: 80, result })), [], result);
  }
});

test('no HTTP response over TLS: HSTS and compression are not judged', () => {
  for (const result of ['timeout', 'head-too-large', 'no-tls'] as const) {
    const unanswered: HttpFacts = { ...facts(), https: { result, error: 'no answer' } };
    assert.deepEqual(ids(unanswered), [], result);
  }
});

test('an endpoint that does not speak HTTP has no HTTP findings at all', () => {
  const notHttp: HttpFacts = {
    ...facts(
      { hsts: null, contentEncoding: ['gzip'] },
      { port: 80, result: 'no-redirect', status: 200 },
    ),
    speaksHttp: false,
  };
  assert.deepEqual(httpFindings(notHttp), []);
});

test('findings come in a stable order: HSTS, BREACH, redirect', () => {
  assert.deepEqual(
    ids(
      facts(
        { hsts: null, contentEncoding: ['br'] },
        { port: 80, result: 'no-redirect', status: 200 },
      ),
    ),
    ['http.hsts-missing', 'vuln.breach', 'http.no-https-redirect'],
  );
});
