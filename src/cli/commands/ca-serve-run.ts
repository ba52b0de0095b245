// The action of `wiretight ca serve`: open the CA and its stores, start the service, log
// where it listens, and run until SIGTERM or SIGINT, then close listeners and stores.
import { once } from 'node:events';
import { isIP } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { parse as parseYaml } from 'yaml';
import { startCaService, type HostPort } from '../../acme/service.ts';
import { CA_FILES, CertificateAuthority, readConfig } from '../../ca/index.ts';
import { readCapped } from '../../ca/files.ts';
import { WiretightError } from '../../errors.ts';
import { createRegistry } from '../../metrics/index.ts';
import { openAcmeStore, openCaStore } from '../../store/index.ts';
import type { CliIo } from '../io.ts';
import { openAuditLog } from './ca-audit.ts';
import { passphraseFor, usage } from './ca-common.ts';
import type { CaServeFlags } from './ca-serve.ts';

const MAX_EAB_FILE_BYTES = 64 * 1024;

/** `host:port` or `[v6]:port`, with a real port (the CA's URLs are fixed before listening). */
export function parseListen(flag: string, value: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const host = m?.[1] ?? m?.[2] ?? '';
  const port = Number(m?.[3]);
  if (m === null || host === '' || (m[1] !== undefined && isIP(host) !== 6)) {
    throw usage(`${flag} ${value}: expected host:port, e.g. 127.0.0.1:8443 or [::1]:8443`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw usage(`${flag} ${value}: the port must be 1 to 65535`);
  }
  return { host, port };
}

/** EAB keys: a map of key id to a base64url HMAC key of at least 16 bytes. */
export async function readEabKeys(path: string): Promise<Map<string, Uint8Array>> {
  let text: string;
  try {
    text = (await readCapped(path, MAX_EAB_FILE_BYTES)).toString('utf8');
  } catch (cause) {
    throw usage(`--eab-keys ${path}: ${(cause as Error).message}`, cause);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 0 });
  } catch (cause) {
    throw usage(`--eab-keys ${path}: not YAML or JSON: ${(cause as Error).message}`, cause);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw usage(`--eab-keys ${path}: expected a map of key id to base64url key`);
  }
  const keys = new Map<string, Uint8Array>();
  for (const [kid, value] of Object.entries(doc)) {
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) {
      throw usage(`--eab-keys ${path}: key "${kid}" is not a base64url string`);
    }
    const key = new Uint8Array(Buffer.from(value, 'base64url'));
    if (key.length < 16) throw usage(`--eab-keys ${path}: key "${kid}" is shorter than 16 bytes`);
    keys.set(kid, key);
  }
  if (keys.size === 0) throw usage(`--eab-keys ${path}: no keys`);
  return keys;
}

export async function runCaServe(flags: CaServeFlags, io: CliIo): Promise<number> {
  const listen = parseListen('--listen', flags.listen);
  const httpListen =
    flags.httpListen === undefined ? undefined : parseListen('--http-listen', flags.httpListen);
  if (flags.eabRequired && flags.eabKeys === undefined) {
    throw usage('--eab-required needs --eab-keys FILE');
  }
  const eab =
    flags.eabKeys === undefined
      ? undefined
      : { required: flags.eabRequired, keys: await readEabKeys(flags.eabKeys) };

  // ca.json first: a directory that is not a CA must not get a fresh ca.db.
  const config = await readConfig(flags.dir);
  const passphrase = await passphraseFor(flags, io);
  const logger = pino(
    { level: flags.logLevel, base: { service: 'wiretight-ca' } },
    { write: (line: string) => io.stdout(line) },
  );
  const audit = openAuditLog(flags.dir, { write: (line: string) => io.stdout(line) });
  const registry = createRegistry();
  const database = join(flags.dir, CA_FILES.database);
  const caStore = openCaStore(database);
  const acmeStore = openAcmeStore(database);
  const httpsUrl =
    flags.url ??
    `https://${isIP(listen.host) === 6 ? `[${listen.host}]` : listen.host}:${listen.port}`;
  // Leaves point at plain HTTP for OCSP and the CRL when there is such a listener (what
  // most relying parties can fetch), else at the HTTPS one, else at ca.json's URL.
  const revocationUrl =
    httpListen !== undefined
      ? `http://${isIP(httpListen.host) === 6 ? `[${httpListen.host}]` : httpListen.host}:${httpListen.port}`
      : (config.publicUrl ?? httpsUrl);
  let ca: CertificateAuthority | undefined;
  try {
    ca = await CertificateAuthority.open({
      dir: flags.dir,
      passphrase,
      store: caStore,
      registry,
      logger: audit.logger,
      publicUrl: revocationUrl,
    });
    const service = await startCaService({
      ca,
      acmeStore,
      listen,
      ...(httpListen === undefined ? {} : { httpListen }),
      names: flags.name,
      publicUrl: flags.url?.replace(/\/+$/, '') ?? httpsUrl,
      registry,
      logger,
      acme: {
        ...(eab === undefined ? {} : { eab }),
        ...(flags.termsOfService === undefined ? {} : { termsOfService: flags.termsOfService }),
        ...(flags.acmeLifetime === undefined
          ? {}
          : { certificateLifetimeSeconds: flags.acmeLifetime }),
        validation: {
          ...(flags.http01Port === undefined ? {} : { http01Port: flags.http01Port }),
          ...(flags.tlsAlpn01Port === undefined ? {} : { tlsAlpn01Port: flags.tlsAlpn01Port }),
          ...(flags.dnsResolver === undefined ? {} : { dnsResolver: flags.dnsResolver }),
          ...(flags.validationHost === undefined ? {} : { connectHost: flags.validationHost }),
        },
      },
    });
    logger.info(
      {
        url: service.url,
        acmeDirectory: `${service.url}/acme/directory`,
        httpUrl: service.httpUrl ?? null,
        revocationUrl,
        servingCertificateNotAfter: service.servingCertificate().notAfter.toISOString(),
      },
      'ca serve: listening',
    );
    const signal = await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
    logger.info({ signal: String(signal[0] ?? '') }, 'ca serve: shutting down');
    await service.close();
    return 0;
  } catch (error) {
    if (error instanceof RangeError) throw usage(error.message, error);
    if (error instanceof WiretightError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw usage(`cannot listen: ${(error as Error).message}`, error);
    }
    throw error;
  } finally {
    await (ca === undefined ? caStore.close() : ca.close());
    await acmeStore.close();
    audit.close();
    logger.flush();
  }
}
