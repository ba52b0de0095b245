import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { WiretightError } from '../errors.ts';
import { type HttpResponseHead, parseResponseHead } from '../probe/http-exchange.ts';
import {
  classifyRedirect,
  concludeHttps,
  concludePlainHttp,
  hstsFacts,
  parseStsValue,
  printable,
  speaksHttp,
} from './http-facts.ts';

const head = (text: string): HttpResponseHead => {
  const h = parseResponseHead(text);
  assert.ok(h !== undefined, text);
  return h;
};

test('STS values valid by RFC 6797 §6.1, including its own examples', () => {
  const valid: [string, number, boolean, boolean][] = [
    ['max-age=31536000', 31536000, false, false],
    ['max-age=15768000 ; includeSubDomains', 15768000, true, false],
    ['max-age="31536000"', 31536000, false, false],
    ['MAX-AGE=0; INCLUDESUBDOMAINS; Preload', 0, true, true],
    ['max-age=63072000; includeSubDomains; preload;', 63072000, true, true],
    [';;max-age=10;;', 10, false, false],
    ['max-age=10; unknown="with ; inside"', 10, false, false],
  ];
  for (const [value, maxAge, includeSubDomains, preload] of valid) {
    assert.deepEqual(
      parseStsValue(value),
      { valid: true, maxAge, includeSubDomains, preload },
      value,
    );
  }
});

test('STS values a browser ignores, and why', () => {
  const invalid: [string, RegExp][] = [
    ['includeSubDomains', /no max-age/],
    ['', /no max-age/],
    ['max-age=1; max-age=2', /more than once/],
    ['max-age=-1', /not a number/],
    ['max-age=1y', /not a number/],
    ['max-age', /not a number/],
    ['max-age="10', /unterminated quote/],
    ['max age=10', /not a directive name/],
    ['max-age=1, max-age=2', /not a number/],
  ];
  for (const [value, problem] of invalid) {
    const parsed = parseStsValue(value);
    assert.equal(parsed.valid, false, value);
    if (!parsed.valid) assert.match(parsed.problem, problem, value);
  }
});

test('a huge max-age is capped, not lost', () => {
  const parsed = parseStsValue(`max-age=${'9'.repeat(40)}`);
  assert.deepEqual(parsed.valid && parsed.maxAge, Number.MAX_SAFE_INTEGER);
});

test('the STS parser returns a verdict for any input', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (value) => {
      const parsed = parseStsValue(value);
      if (parsed.valid) assert.ok(Number.isSafeInteger(parsed.maxAge) && parsed.maxAge >= 0);
      else assert.ok(parsed.problem.length > 0);
    }),
  );
});

test('several STS headers: all kept, the first judged', () => {
  assert.equal(hstsFacts([]), null);
  assert.deepEqual(hstsFacts(['max-age=300', 'max-age=63072000']), {
    values: ['max-age=300', 'max-age=63072000'],
    valid: true,
    maxAge: 300,
    includeSubDomains: false,
    preload: false,
  });
  assert.deepEqual(hstsFacts(['max-age=oops', 'max-age=63072000']), {
    values: ['max-age=oops', 'max-age=63072000'],
    valid: false,
    problem: 'max-age is not a number of seconds',
  });
  assert.equal(hstsFacts(Array.from({ length: 50 }, () => 'max-age=1'))?.values.length, 8);
});

test('redirects: https on the same host, on another host, not https', () => {
  const names = ['Example.COM', 'www.example.com'];
  const from = 'http://example.com/';
  assert.equal(classifyRedirect('https://example.com/', from, names), 'redirects-to-https');
  assert.equal(classifyRedirect('https://EXAMPLE.com.:8443/x', from, names), 'redirects-to-https');
  assert.equal(classifyRedirect('https://www.example.com/', from, names), 'redirects-to-https');
  assert.equal(classifyRedirect('https://evil.example/', from, names), 'redirects-to-other-host');
  assert.equal(classifyRedirect('http://example.com/', from, names), 'redirects-not-https');
  assert.equal(classifyRedirect('/login', from, names), 'redirects-not-https');
  assert.equal(classifyRedirect('https://[', from, names), 'redirects-not-https');
  assert.equal(classifyRedirect('https://[::1]/', 'http://[::1]/', ['::1']), 'redirects-to-https');
});

test('GET / over TLS: status, Server, Location, codings, HSTS', () => {
  const facts = concludeHttps({
    kind: 'answered',
    alpn: 'http/1.1',
    answer: {
      kind: 'response',
      head: head(
        'HTTP/1.1 302 Found\r\nServer: nginx\r\nLocation: /en/\r\nContent-Encoding: gzip, identity\r\nStrict-Transport-Security: max-age=600',
      ),
    },
  });
  assert.deepEqual(facts, {
    result: 'response',
    alpn: 'http/1.1',
    status: 302,
    server: 'nginx',
    location: '/en/',
    contentEncoding: ['gzip'],
    hsts: {
      values: ['max-age=600'],
      valid: true,
      maxAge: 600,
      includeSubDomains: false,
      preload: false,
    },
  });
  const plain = concludeHttps({
    kind: 'answered',
    alpn: undefined,
    answer: { kind: 'response', head: head('HTTP/1.1 200 OK\r\nContent-Encoding: identity') },
  });
  assert.deepEqual(plain, { result: 'response', status: 200, contentEncoding: [], hsts: null });
});

test('GET / over TLS that is not answered in HTTP, or not at all', () => {
  assert.deepEqual(
    concludeHttps({
      kind: 'answered',
      alpn: undefined,
      answer: { kind: 'not-http', firstBytes: new Uint8Array([0xde, 0xad]) },
    }),
    { result: 'not-http', firstBytesHex: 'dead' },
  );
  assert.deepEqual(
    concludeHttps({ kind: 'answered', alpn: undefined, answer: { kind: 'timeout' } }),
    { result: 'timeout', error: 'no complete response head within the timeout' },
  );
  assert.deepEqual(
    concludeHttps({ kind: 'no-tls', failure: { kind: 'tls-error', reason: 'no shared cipher' } }),
    { result: 'no-tls', error: 'the handshake failed: no shared cipher' },
  );
});

test('speaking HTTP: an HTTP answer, or ALPN h2 / http/1.1 from either handshake', () => {
  assert.equal(speaksHttp({ result: 'response' }), true);
  assert.equal(speaksHttp({ result: 'timeout', alpn: 'http/1.1' }), true);
  assert.equal(speaksHttp({ result: 'no-tls' }, 'h2'), true);
  assert.equal(speaksHttp({ result: 'not-http' }), false);
  assert.equal(speaksHttp({ result: 'not-http', alpn: 'imap' }, 'imap'), false);
});

test('plain HTTP: redirect, no redirect, a 3xx without Location, nothing listening, not HTTP, no answer', () => {
  const conclude = (outcome: Parameters<typeof concludePlainHttp>[1]) =>
    concludePlainHttp(80, outcome, 'http://example.com/', ['example.com']);
  const answer = (text: string) => conclude({ kind: 'response', head: head(text) });
  assert.deepEqual(answer('HTTP/1.1 301 Moved\r\nLocation: https://example.com/'), {
    port: 80,
    result: 'redirects-to-https',
    status: 301,
    location: 'https://example.com/',
  });
  assert.deepEqual(answer('HTTP/1.1 200 OK'), { port: 80, result: 'no-redirect', status: 200 });
  assert.deepEqual(answer('HTTP/1.1 304 Not Modified'), {
    port: 80,
    result: 'no-redirect',
    status: 304,
  });
  assert.equal(answer('HTTP/1.1 308 P\r\nLocation: /x').result, 'redirects-not-https');
  assert.deepEqual(
    conclude({
      kind: 'connect-failed',
      error: new WiretightError('WT_ERR_PROBE_CONNECT', 'connection refused'),
    }),
    { port: 80, result: 'not-listening', reason: 'connection refused' },
  );
  assert.deepEqual(conclude({ kind: 'not-http', firstBytes: new Uint8Array([0x16, 0x03]) }), {
    port: 80,
    result: 'not-http',
    reason: 'first bytes 1603',
  });
  assert.deepEqual(conclude({ kind: 'head-too-large', bytes: 32768 }), {
    port: 80,
    result: 'error',
    reason: 'the response head did not end within the size cap',
  });
});

test('header values in the facts: control characters escaped, length capped', () => {
  assert.equal(printable('a\u001b[31mb\u007f'), 'a\\x1b[31mb\\x7f');
  assert.equal(printable('tab\tkept'), 'tab\tkept');
  assert.equal(printable('x'.repeat(600)).length, 513);
  const facts = concludeHttps({
    kind: 'answered',
    alpn: undefined,
    answer: { kind: 'response', head: head(`HTTP/1.1 200 OK\r\nServer: ${'s'.repeat(5000)}`) },
  });
  assert.equal(facts.server?.length, 513);
});
