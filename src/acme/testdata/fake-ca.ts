// A small certificate authority implementing the ACME port for the unit tests. It really
// parses the CSR (@peculiar/asn1-csr), verifies its signature (node:crypto), compares its
// names with the order's, and signs a leaf under a generated intermediate (the pki
// testdata issuer), so what the tests check comes from real DER, not canned bytes.
// Its policy: DNS names under .test or localhost, IPs in 127.0.0.0/8 or ::1.
// Test-only (testdata/ is not built).
import { createPublicKey, randomInt, verify } from 'node:crypto';
import { AsnConvert, AsnParser } from '@peculiar/asn1-schema';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { Extensions, SubjectAlternativeName } from '@peculiar/asn1-x509';
import { WiretightError } from '../../errors.ts';
import type {
  CertificateRecord,
  CsrIssueOptions,
  Identifier,
  IssuedCertificate,
  RevocationReason,
} from '../../ca/types.ts';
import { type TestCertificate, type TestKey, issue } from '../../pki/testdata/certificates.ts';
import { certificateParts } from '../../pki/certificate-parts.ts';
import type { AcmeCertificateAuthority } from '../ca-port.ts';
import { serialHex } from '../certificates.ts';
import { toPem } from '../handlers/certificate.ts';

const SIGNATURE_DIGESTS: Readonly<Record<string, string | null>> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.3.101.112': null,
};

const csrError = (why: string): WiretightError => new WiretightError('WT_ERR_CA_CSR', why);

function policyRefusal(id: Identifier): string | undefined {
  if (id.type === 'dns' && (id.value === 'localhost' || id.value.endsWith('.test')))
    return undefined;
  if (id.type === 'ip' && (id.value.startsWith('127.') || id.value === '::1')) return undefined;
  return `${id.type}:${id.value} is outside the test policy`;
}

/** asn1-x509 prints iPAddress names as text; IPv6 in the RFC 5952 form the order uses. */
function ipText(text: string): string {
  return text.includes(':') ? new URL(`http://[${text}]/`).hostname.slice(1, -1) : text;
}

interface ParsedCsr {
  readonly identifiers: Identifier[];
  readonly spki: Uint8Array;
}

function parseCsr(der: Uint8Array): ParsedCsr {
  let csr: CertificationRequest;
  try {
    csr = AsnParser.parse(der, CertificationRequest);
  } catch {
    throw csrError('the CSR is not DER');
  }
  const info = csr.certificationRequestInfo;
  const spki = new Uint8Array(AsnConvert.serialize(info.subjectPKInfo));
  const digest = SIGNATURE_DIGESTS[csr.signatureAlgorithm.algorithm];
  const tbs = csr.certificationRequestInfoRaw ?? AsnConvert.serialize(info);
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (
    digest === undefined ||
    !verify(digest, new Uint8Array(tbs), key, new Uint8Array(csr.signature))
  ) {
    throw csrError("the CSR's signature does not verify");
  }
  const names: Identifier[] = [];
  for (const attribute of info.attributes ?? []) {
    if (attribute.type !== '1.2.840.113549.1.9.14') continue;
    for (const value of attribute.values) {
      for (const ext of AsnParser.parse(value, Extensions)) {
        if (ext.extnID !== '2.5.29.17') continue;
        for (const name of AsnParser.parse(ext.extnValue.buffer, SubjectAlternativeName)) {
          if (name.dNSName !== undefined)
            names.push({ type: 'dns', value: name.dNSName.toLowerCase() });
          if (name.iPAddress !== undefined)
            names.push({ type: 'ip', value: ipText(name.iPAddress) });
        }
      }
    }
  }
  return { identifiers: names, spki };
}

const key = (id: Identifier): string => `${id.type}:${id.value}`;

export class FakeCa implements AcmeCertificateAuthority {
  readonly root: TestCertificate;
  readonly intermediate: TestCertificate;
  readonly records = new Map<string, CertificateRecord>();
  readonly revocations: { serial: string; reason: RevocationReason; requestedBy?: string }[] = [];
  readonly issued: CsrIssueOptions[] = [];
  readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
    const from = new Date(now() - 86_400_000);
    const until = new Date(now() + 3650 * 86_400_000);
    this.root = issue({ cn: 'Fake ACME Root', ca: true, notBefore: from, notAfter: until });
    this.intermediate = issue({
      cn: 'Fake ACME Intermediate',
      ca: true,
      pathLength: 0,
      issuer: this.root,
      notBefore: from,
      notAfter: until,
    });
  }

  get intermediatePem(): string {
    return this.intermediate.pem;
  }

  checkIdentifiers(identifiers: readonly Identifier[]): void {
    for (const id of identifiers) {
      const why = policyRefusal(id);
      if (why !== undefined) throw new WiretightError('WT_ERR_CA_POLICY', why);
    }
  }

  async issueFromCsr(csr: Uint8Array, options: CsrIssueOptions): Promise<IssuedCertificate> {
    const parsed = parseCsr(csr);
    const expected = options.expectedIdentifiers;
    if (expected !== undefined) {
      const want = new Set(expected.map(key));
      const got = new Set(parsed.identifiers.map(key));
      if (want.size !== got.size || [...want].some((k) => !got.has(k))) {
        throw csrError(`the CSR names ${[...got].join(', ')}, the order ${[...want].join(', ')}`);
      }
    }
    this.checkIdentifiers(parsed.identifiers);
    this.issued.push(options);
    const publicKey = createPublicKey({
      key: Buffer.from(parsed.spki),
      format: 'der',
      type: 'spki',
    });
    const subjectKey = { kind: 'p256', publicKey, privateKey: publicKey } as unknown as TestKey;
    const notBefore = new Date(Math.floor(this.now() / 1000) * 1000);
    const lifetime = (options.lifetimeSeconds ?? 86_400) * 1000;
    const leaf = issue({
      cn: parsed.identifiers[0]?.value ?? 'acme',
      issuer: this.intermediate,
      key: subjectKey,
      ca: false,
      dns: parsed.identifiers.filter((i) => i.type === 'dns').map((i) => i.value),
      ips: parsed.identifiers.filter((i) => i.type === 'ip').map((i) => i.value),
      notBefore,
      notAfter: new Date(notBefore.getTime() + lifetime),
      serial: randomInt(1, 2 ** 47),
    });
    const serial = serialHex(certificateParts(leaf.der).serial);
    const record: CertificateRecord = {
      serial,
      commonName: parsed.identifiers[0]?.value ?? null,
      identifiers: parsed.identifiers,
      usage: options.usage,
      keyAlgorithm: 'ecdsa-p256',
      notBefore,
      notAfter: new Date(notBefore.getTime() + lifetime),
      issuedAt: new Date(this.now()),
      provisioner: options.provisioner,
      requestedBy: options.requestedBy ?? null,
      der: leaf.der,
      status: 'valid',
      revokedAt: null,
      revocationReason: null,
    };
    this.records.set(serial, record);
    const certificatePem = toPem(leaf.der);
    return { record, certificatePem, chainPem: `${certificatePem}${this.intermediatePem}` };
  }

  async revoke(
    serial: string,
    reason: RevocationReason,
    requestedBy?: string,
  ): Promise<CertificateRecord> {
    const record = this.records.get(serial);
    if (record === undefined)
      throw new WiretightError('WT_ERR_CA_NOT_FOUND', `no certificate ${serial}`);
    if (record.status === 'revoked')
      throw new WiretightError('WT_ERR_CA_REVOKED', `${serial} is revoked`);
    const revoked = {
      ...record,
      status: 'revoked' as const,
      revokedAt: new Date(this.now()),
      revocationReason: reason,
    };
    this.records.set(serial, revoked);
    this.revocations.push({
      serial,
      reason,
      ...(requestedBy === undefined ? {} : { requestedBy }),
    });
    return revoked;
  }

  async get(serial: string): Promise<CertificateRecord | undefined> {
    return this.records.get(serial);
  }
}
