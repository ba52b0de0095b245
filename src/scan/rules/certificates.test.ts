import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CertificateVerdicts, ValidityFacts } from '../../pki/index.ts';
import type { Finding, FindingId } from '../findings/index.ts';
import { certificateFindings } from './certificates.ts';

type DeepMutable<T> = { -readonly [K in keyof T]: DeepMutable<T[K]> };
type Verdicts = DeepMutable<CertificateVerdicts>;

const CHECKED_AT = '2026-06-01T12:00:00.000Z';

function validity(over: Partial<ValidityFacts> = {}): ValidityFacts {
  return {
    notBefore: '2026-05-02T12:00:00.000Z',
    notAfter: '2026-07-31T12:00:00.000Z',
    status: 'valid',
    daysLeft: 60,
    lifetimeDays: 90,
    ...over,
  };
}

/** A healthy endpoint: leaf + intermediate sent, Mozilla root, OCSP and CRL, nothing wrong. */
function healthy(): Verdicts {
  const served = (position: number, subject: string) => ({
    position,
    sha256: `${position}`.repeat(64),
    subject,
    inPath: true,
    anchor: false,
    key: { type: 'ec', bits: 256, curve: 'prime256v1', weak: false },
    signature: { algorithm: 'ecdsa-with-SHA256', hash: 'sha256', weak: false },
    validity: validity(),
  });
  return {
    host: 'www.example.test',
    checkedAt: CHECKED_AT,
    trust: { trusted: true, reasons: [], anchorSource: 'mozilla', publiclyTrusted: true },
    path: [
      {
        subject: 'CN=www.example.test',
        issuer: 'CN=Int',
        sha256: '0'.repeat(64),
        source: 'sent',
        position: 0,
        anchor: false,
        validity: validity(),
      },
      {
        subject: 'CN=Int',
        issuer: 'CN=Root',
        sha256: '1'.repeat(64),
        source: 'sent',
        position: 1,
        anchor: false,
        validity: validity({
          notAfter: '2030-01-01T00:00:00.000Z',
          daysLeft: 1309,
          lifetimeDays: 1340,
        }),
      },
      {
        subject: 'CN=Root',
        issuer: 'CN=Root',
        sha256: '2'.repeat(64),
        source: 'trust-store',
        position: null,
        anchor: true,
        validity: validity({
          notAfter: '2040-01-01T00:00:00.000Z',
          daysLeft: 4961,
          lifetimeDays: 4992,
        }),
      },
    ],
    chain: {
      sent: 2,
      ordered: true,
      misplaced: [],
      duplicates: [],
      unrelated: [],
      unparseable: [],
      incomplete: false,
      missingIssuer: null,
      trustedAfterCompletion: false,
      aia: [],
    },
    hostname: {
      host: 'www.example.test',
      kind: 'dns',
      matches: true,
      matchedBy: 'DNS:www.example.test',
      commonNameChecked: false,
    },
    served: [served(0, 'CN=www.example.test'), served(1, 'CN=Int')],
    leaf: {
      dnsNames: ['www.example.test'],
      ipAddresses: [],
      commonNames: ['www.example.test'],
      ocspUrls: ['http://ocsp.example.test'],
      caIssuerUrls: [],
      crlUrls: ['http://crl.example.test/int.crl'],
      sctCount: 2,
      mustStaple: false,
      malformedExtensions: [],
    },
    revocation: [],
  };
}

function variant(change: (v: Verdicts) => void): CertificateVerdicts {
  const v = healthy();
  change(v);
  return v;
}

const only = (findings: readonly Finding[], id: FindingId): Finding[] =>
  findings.filter((f) => f.id === id);

function fires(v: CertificateVerdicts, id: FindingId, options = {}): Finding {
  const found = only(certificateFindings(v, options), id);
  assert.equal(found.length, 1, `${id} should fire once`);
  return found[0] as Finding;
}

function silent(v: CertificateVerdicts, id: FindingId, options = {}): void {
  assert.deepEqual(only(certificateFindings(v, options), id), [], `${id} should not fire`);
}

test('a healthy endpoint has no certificate findings', () => {
  assert.deepEqual(certificateFindings(healthy()), []);
});

describe('cert.expired', () => {
  const expired = variant((v) => {
    v.path[1]!.validity = validity({
      status: 'expired',
      notAfter: '2026-05-20T00:00:00.000Z',
      daysLeft: -13,
    });
    v.trust = { ...v.trust, trusted: false, reasons: ['expired'] };
  });
  test('fires for an expired intermediate, naming it and the days', () => {
    const f = fires(expired, 'cert.expired');
    assert.equal(f.evidence, '"CN=Int" (#1 as sent) expired on 2026-05-20 (13 days ago).');
    assert.equal(f.details?.['daysLeft'], -13);
    silent(expired, 'cert.untrusted');
  });
  test('is silent when everything is within its dates', () => silent(healthy(), 'cert.expired'));
});

describe('cert.not-yet-valid', () => {
  test('fires for a leaf from the future', () => {
    const v = variant((x) => {
      x.path[0]!.validity = validity({
        status: 'not-yet-valid',
        notBefore: '2026-06-04T12:00:00.000Z',
      });
    });
    assert.match(
      fires(v, 'cert.not-yet-valid').evidence,
      /^The leaf "CN=www.example.test" is valid only from 2026-06-04 \(in 3 days\)\.$/,
    );
  });
  test('is silent for a current leaf', () => silent(healthy(), 'cert.not-yet-valid'));
});

describe('cert.expiring-soon', () => {
  const expiring = (daysLeft: number) =>
    variant((v) => {
      v.path[0]!.validity = validity({ daysLeft, notAfter: '2026-06-11T12:00:00.000Z' });
    });
  test('fires under the threshold, medium; high at 7 days or fewer', () => {
    const f = fires(expiring(20), 'cert.expiring-soon');
    assert.equal(f.severity, 'medium');
    assert.equal(f.evidence, 'The leaf "CN=www.example.test" expires on 2026-06-11, in 20 days.');
    assert.equal(fires(expiring(7), 'cert.expiring-soon').severity, 'high');
  });
  test('follows the configured threshold and is silent above it', () => {
    silent(expiring(20), 'cert.expiring-soon', { expiryWarningDays: 14 });
    fires(expiring(20), 'cert.expiring-soon', { expiryWarningDays: 21 });
    silent(healthy(), 'cert.expiring-soon');
    assert.throws(() => certificateFindings(healthy(), { expiryWarningDays: -1 }), RangeError);
  });
});

describe('cert.hostname-mismatch', () => {
  test('fires with the names the certificate has', () => {
    const v = variant((x) => {
      x.hostname = {
        host: 'api.example.test',
        kind: 'dns',
        matches: false,
        matchedBy: null,
        commonNameChecked: false,
      };
    });
    const f = fires(v, 'cert.hostname-mismatch');
    assert.equal(
      f.evidence,
      'The certificate is for DNS:www.example.test, not for "api.example.test".',
    );
  });
  test('says when only the CN was there to check', () => {
    const v = variant((x) => {
      x.leaf!.dnsNames = [];
      x.hostname = {
        host: 'api.example.test',
        kind: 'dns',
        matches: false,
        matchedBy: null,
        commonNameChecked: true,
      };
    });
    assert.match(
      fires(v, 'cert.hostname-mismatch').evidence,
      /no DNS name in subjectAltName, and its CN \(www\.example\.test\)/,
    );
  });
  test('is silent when the name matches', () => silent(healthy(), 'cert.hostname-mismatch'));
});

describe('cert.untrusted', () => {
  test('fires with the reason in words and where the path stops', () => {
    const v = variant((x) => {
      x.trust = {
        trusted: false,
        reasons: ['untrusted-root'],
        anchorSource: null,
        publiclyTrusted: false,
      };
      x.path[2] = {
        ...x.path[2]!,
        source: 'sent',
        position: 2,
        anchor: false,
        subject: 'CN=Private Root',
      };
    });
    const f = fires(v, 'cert.untrusted');
    assert.match(
      f.evidence,
      /self-signed certificate that is not a trust anchor\. The path stops at "CN=Private Root" \(#2 as sent\)\.$/,
    );
    assert.deepEqual(f.details?.['reasons'], ['untrusted-root']);
  });
  test('is silent when trusted, when only self-signed or expired, and when AIA completes the chain', () => {
    silent(healthy(), 'cert.untrusted');
    silent(
      variant((x) => {
        x.trust.reasons = ['self-signed'];
        x.trust.trusted = false;
      }),
      'cert.untrusted',
    );
    silent(
      variant((x) => {
        x.trust.reasons = ['unknown-issuer'];
        x.trust.trusted = false;
        x.chain.incomplete = true;
        x.chain.trustedAfterCompletion = true;
      }),
      'cert.untrusted',
    );
  });
});

describe('cert.self-signed', () => {
  test('fires for a self-signed leaf', () => {
    const v = variant((x) => {
      x.trust = {
        trusted: false,
        reasons: ['self-signed'],
        anchorSource: null,
        publiclyTrusted: false,
      };
      x.path = [x.path[0]!];
    });
    assert.equal(
      fires(v, 'cert.self-signed').evidence,
      'The leaf "CN=www.example.test" is signed by its own key and is not in the trust store.',
    );
  });
  test('is silent otherwise', () => silent(healthy(), 'cert.self-signed'));
});

describe('cert.chain-incomplete', () => {
  const incomplete = (trustedAfterCompletion: boolean) =>
    variant((x) => {
      x.chain = {
        ...x.chain,
        sent: 1,
        incomplete: true,
        missingIssuer: 'CN=Int',
        trustedAfterCompletion,
        aia: [
          {
            url: 'http://aia.test/int.der',
            outcome: trustedAfterCompletion ? 'issuer-found' : 'failed',
            ...(trustedAfterCompletion ? {} : { error: 'HTTP 404' }),
          },
        ],
      };
      x.trust = { ...x.trust, trusted: false, reasons: ['unknown-issuer'] };
    });
  test('fires naming the missing issuer and what fetching it gave', () => {
    assert.match(
      fires(incomplete(true), 'cert.chain-incomplete').evidence,
      /^The server sent 1 certificate without "CN=Int".*Fetched from http:\/\/aia\.test\/int\.der, it completes a trusted chain/,
    );
    assert.match(
      fires(incomplete(false), 'cert.chain-incomplete').evidence,
      /did not help \(HTTP 404\)/,
    );
    fires(incomplete(false), 'cert.untrusted');
  });
  test('is silent for a complete chain', () => silent(healthy(), 'cert.chain-incomplete'));
});

describe('cert.chain-order', () => {
  test('fires listing what is out of turn, doubled, foreign or unreadable', () => {
    const v = variant((x) => {
      x.chain = {
        ...x.chain,
        ordered: false,
        misplaced: [2, 1],
        duplicates: [3],
        unrelated: [],
        unparseable: [4],
      };
      x.served.push(
        { ...x.served[1]!, position: 2, subject: 'CN=Root' },
        { ...x.served[1]!, position: 3 },
        {
          position: 4,
          sha256: 'f'.repeat(64),
          subject: null,
          parseError: 'bad',
          inPath: false,
          anchor: false,
          key: null,
          signature: null,
          validity: null,
        },
      );
    });
    assert.equal(
      fires(v, 'cert.chain-order').evidence,
      'Sent out of turn: #2 "CN=Root", #1 "CN=Int"; sent twice: #3 "CN=Int"; unparseable: #4.',
    );
  });
  test('is silent for an ordered chain', () => silent(healthy(), 'cert.chain-order'));
});

describe('cert.weak-key', () => {
  test('fires per weak served key, with its size', () => {
    const v = variant((x) => {
      x.served[0]!.key = { type: 'rsa', bits: 1024, weak: true };
    });
    const f = fires(v, 'cert.weak-key');
    assert.equal(f.evidence, 'The leaf "CN=www.example.test" has a 1024-bit RSA key.');
    assert.equal(f.details?.['bits'], 1024);
  });
  test('is silent for strong keys', () => silent(healthy(), 'cert.weak-key'));
});

describe('cert.weak-signature', () => {
  test('fires per served certificate signed with SHA-1 or MD5', () => {
    const v = variant((x) => {
      x.served[1]!.signature = { algorithm: 'sha1WithRSAEncryption', hash: 'sha1', weak: true };
    });
    assert.equal(
      fires(v, 'cert.weak-signature').evidence,
      '"CN=Int" (#1 as sent) is signed with sha1WithRSAEncryption (SHA1).',
    );
  });
  test('is silent for SHA-256 (and for anchors, whose verdict already says not weak)', () =>
    silent(healthy(), 'cert.weak-signature'));
});

describe('cert.no-revocation-info', () => {
  const bare = variant((x) => {
    x.leaf!.ocspUrls = [];
    x.leaf!.crlUrls = [];
  });
  test('fires for a leaf with neither OCSP nor CRL', () => {
    assert.match(
      fires(bare, 'cert.no-revocation-info').evidence,
      /names no OCSP responder and no CRL distribution point, and lives 90 days/,
    );
  });
  test('is silent with OCSP, for short-lived and for self-signed leaves', () => {
    silent(healthy(), 'cert.no-revocation-info');
    silent(
      variant((x) => {
        x.leaf!.ocspUrls = [];
        x.leaf!.crlUrls = [];
        x.path[0]!.validity = validity({ lifetimeDays: 6 });
      }),
      'cert.no-revocation-info',
    );
    silent(
      variant((x) => {
        x.leaf!.ocspUrls = [];
        x.leaf!.crlUrls = [];
        x.trust.reasons = ['self-signed'];
      }),
      'cert.no-revocation-info',
    );
  });
});

describe('cert.revoked', () => {
  test('fires once, naming every source that said so', () => {
    const v = variant((x) => {
      x.revocation = [
        {
          source: 'ocsp-stapled',
          status: 'revoked',
          revokedAt: '2026-05-20T10:00:00.000Z',
          reason: 'keyCompromise',
        },
        {
          source: 'crl',
          status: 'revoked',
          url: 'http://crl.example.test/int.crl',
          revokedAt: '2026-05-20T10:00:00.000Z',
        },
      ];
    });
    const f = fires(v, 'cert.revoked');
    assert.equal(
      f.evidence,
      'The OCSP response the server staples and the CRL http://crl.example.test/int.crl say the leaf "CN=www.example.test" was revoked on 2026-05-20 (keyCompromise).',
    );
    assert.deepEqual(f.details?.['sources'], ['ocsp-stapled', 'crl']);
  });
  test('is silent for good, unknown and unavailable answers', () => {
    silent(
      variant((x) => {
        x.revocation = [
          { source: 'ocsp', status: 'good' },
          { source: 'crl', status: 'unavailable', error: 'HTTP 500' },
          { source: 'ocsp-stapled', status: 'unknown' },
        ];
      }),
      'cert.revoked',
    );
  });
});

describe('cert.lifetime-too-long', () => {
  const long = (publiclyTrusted: boolean) =>
    variant((x) => {
      x.path[0]!.validity = validity({
        notBefore: '2026-01-01T00:00:00.000Z',
        notAfter: '2028-04-05T00:00:00.000Z',
        lifetimeDays: 825,
      });
      x.trust.publiclyTrusted = publiclyTrusted;
    });
  test('fires for a publicly trusted leaf over 398 days, stating its lifetime', () => {
    assert.equal(
      fires(long(true), 'cert.lifetime-too-long').evidence,
      'The leaf "CN=www.example.test" is valid for 825 days (2026-01-01 to 2028-04-05), more than the 398 days browsers accept.',
    );
    fires(long(false), 'cert.lifetime-too-long', { lifetimeLimitForAll: true });
  });
  test('is silent for a private CA’s leaf, and for 398 days or less', () => {
    silent(long(false), 'cert.lifetime-too-long');
    silent(
      variant((x) => {
        x.path[0]!.validity = validity({ lifetimeDays: 398 });
      }),
      'cert.lifetime-too-long',
    );
  });
});

test('without a usable leaf: only cert.untrusted, with the parse error', () => {
  const v: CertificateVerdicts = {
    host: 'x.test',
    checkedAt: CHECKED_AT,
    trust: {
      trusted: false,
      reasons: ['unparseable-leaf'],
      anchorSource: null,
      publiclyTrusted: false,
    },
    path: [],
    chain: {
      sent: 1,
      ordered: false,
      misplaced: [],
      duplicates: [],
      unrelated: [],
      unparseable: [0],
      incomplete: false,
      missingIssuer: null,
      trustedAfterCompletion: false,
      aia: [],
    },
    hostname: null,
    served: [
      {
        position: 0,
        sha256: 'a'.repeat(64),
        subject: null,
        parseError: 'asn1 error',
        inPath: false,
        anchor: false,
        key: null,
        signature: null,
        validity: null,
      },
    ],
    leaf: null,
    revocation: [],
  };
  const findings = certificateFindings(v);
  assert.deepEqual(
    findings.map((f) => f.id),
    ['cert.untrusted'],
  );
  assert.match(findings[0]?.evidence ?? '', /cannot be parsed \(asn1 error\)/);
});
