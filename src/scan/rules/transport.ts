import { type Finding, finding } from '../findings/index.ts';
import type { ReportFacts } from '../report.ts';

/** A cleartext port, and the mutual-TLS fact. */
export function transportFindings(report: ReportFacts): Finding[] {
  const out: Finding[] = [];
  if (!report.tls && report.plaintext !== undefined) out.push(plaintextFinding(report));
  if (report.tls && report.clientCertificateRequested) {
    out.push(
      finding('tls.client-cert-required', {
        evidence: 'The server sent a CertificateRequest in its handshake.',
      }),
    );
  }
  return out;
}

/** How to turn TLS on where the service negotiates it in its own protocol. */
const STARTTLS_FIXES: Readonly<Record<string, string>> = {
  smtp: 'Offer STARTTLS: Postfix `smtpd_tls_security_level = may` with `smtpd_tls_chain_files`; Exim `tls_advertise_hosts = *` with a certificate. Require it (`encrypt`) on submission ports and between your own relays.',
  imap: 'Offer STARTTLS: Dovecot `ssl = yes` (or `required`) with `ssl_cert`/`ssl_key`; prefer implicit TLS on 993.',
  pop3: 'Offer STARTTLS: Dovecot `ssl = yes` (or `required`) with `ssl_cert`/`ssl_key`; prefer implicit TLS on 995.',
  postgres:
    'Turn SSL on: `ssl = on` with `ssl_cert_file`/`ssl_key_file` in postgresql.conf, and `hostssl` (not `host`) lines in pg_hba.conf so clients cannot fall back.',
  mysql: 'Turn TLS on (`ssl_cert`/`ssl_key`) and `require_secure_transport = ON`.',
  ldap: 'Offer StartTLS (OpenLDAP `olcTLSCertificateFile`/`olcTLSCertificateKeyFile`) and require it with `olcSecurity: tls=1`; or serve LDAPS on 636.',
};

function plaintextFinding(report: ReportFacts): Finding {
  const plaintext = report.plaintext;
  if (plaintext === undefined) throw new TypeError('plaintextFinding needs a plaintext answer');
  const details = { protocol: plaintext.protocol };
  if (plaintext.protocol === 'postgresql') {
    return finding('transport.plaintext', {
      evidence: `The server is PostgreSQL and refuses SSL: ${plaintext.description}.`,
      fix: STARTTLS_FIXES['postgres'] as string,
      details,
    });
  }
  if (report.starttls !== undefined) {
    return finding('transport.plaintext', {
      evidence: `The ${report.starttls} server does not start TLS when asked (STARTTLS): ${plaintext.description}.`,
      ...(STARTTLS_FIXES[report.starttls] === undefined
        ? {}
        : { fix: STARTTLS_FIXES[report.starttls] as string }),
      details: { ...details, starttls: report.starttls },
    });
  }
  return finding('transport.plaintext', {
    evidence: `The port answered a TLS ClientHello in cleartext: ${plaintext.description}.`,
    details,
  });
}
