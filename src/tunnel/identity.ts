// What the tunnel knows about a verified peer: the names its certificate carries, read
// from the DER with the ASN.1 schema (not from Node's display string, whose quoting rules
// are not a parser's contract). Only these fields feed authorization and the logs.
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, SubjectAlternativeName, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { WiretightError } from '../errors.ts';

export interface PeerIdentity {
  readonly commonNames: readonly string[];
  readonly organizationalUnits: readonly string[];
  readonly dnsNames: readonly string[];
  readonly uris: readonly string[];
  readonly ipAddresses: readonly string[];
  /** Lower-case hex, as the CA and openssl print it. */
  readonly serial: string;
  readonly notAfter: Date;
}

const OID_CN = '2.5.4.3';
const OID_OU = '2.5.4.11';

/** The identity in a peer's leaf certificate (DER); a certificate that does not parse is refused. */
export function peerIdentity(der: Uint8Array): PeerIdentity {
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch (cause) {
    throw new WiretightError('WT_ERR_PKI_DECODE', 'peer certificate is not valid DER', { cause });
  }
  const tbs = cert.tbsCertificate;
  const commonNames: string[] = [];
  const organizationalUnits: string[] = [];
  for (const rdn of tbs.subject) {
    for (const atv of rdn) {
      if (atv.type === OID_CN) commonNames.push(atv.value.toString());
      else if (atv.type === OID_OU) organizationalUnits.push(atv.value.toString());
    }
  }
  const dnsNames: string[] = [];
  const uris: string[] = [];
  const ipAddresses: string[] = [];
  const san = tbs.extensions?.find((e) => e.extnID === id_ce_subjectAltName);
  if (san !== undefined) {
    let names: SubjectAlternativeName;
    try {
      names = AsnConvert.parse(san.extnValue, SubjectAlternativeName);
    } catch (cause) {
      throw new WiretightError('WT_ERR_PKI_DECODE', 'peer subjectAltName is not valid DER', {
        cause,
      });
    }
    for (const name of names) {
      if (name.dNSName !== undefined) dnsNames.push(name.dNSName.toLowerCase());
      if (name.uniformResourceIdentifier !== undefined) uris.push(name.uniformResourceIdentifier);
      if (name.iPAddress !== undefined) ipAddresses.push(name.iPAddress);
    }
  }
  return {
    commonNames,
    organizationalUnits,
    dnsNames,
    uris,
    ipAddresses,
    serial: Buffer.from(tbs.serialNumber)
      .toString('hex')
      .replace(/^(00)+(?=.)/, ''),
    notAfter: tbs.validity.notAfter.getTime(),
  };
}
