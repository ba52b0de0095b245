import { X509Certificate } from 'node:crypto';
import { open } from 'node:fs/promises';
import tls from 'node:tls';
import { toHex } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';
import { certificateParts, certificateSubject } from './certificate-parts.ts';
import { type ParsedCertificate, parseCertificate } from './parsed-certificate.ts';
import { pemBlocks, pemCertificates } from './pem.ts';

/** Where an anchor came from: Node's bundled Mozilla roots, the OS store, or a CA file. */
export type AnchorSource = 'mozilla' | 'system' | `file:${string}`;

/** Certificates read from a `--ca` file, ready to be trusted. */
export interface CaFile {
  readonly path: string;
  readonly certificates: readonly Uint8Array[];
}

export interface TrustStoreOptions {
  /** Node's bundled copy of the Mozilla root program (default true). */
  readonly mozilla?: boolean;
  /** The operating system's store, read on first need (default true). */
  readonly system?: boolean;
  /** Extra anchors, from `readCaFile`; tried before the others. */
  readonly files?: readonly CaFile[];
}

/** A trusted certificate. Parsed only when a lookup needs it. */
export interface TrustAnchor {
  readonly source: AnchorSource;
  readonly der: Uint8Array;
  /** The anchor, parsed on first call; undefined when OpenSSL cannot read it. */
  parsed(): ParsedCertificate | undefined;
}

/** The cap on a `--ca` file: the whole Mozilla bundle as PEM is about 220 KB. */
export const MAX_CA_FILE_BYTES = 4 * 1024 * 1024;

interface Group {
  readonly source: AnchorSource;
  /** Read only when a lookup asks for deferred sources too. */
  readonly deferred: boolean;
  readonly load: () => readonly Uint8Array[];
  /** Anchors by the hex of their subject Name DER; built on first use. */
  index?: Map<string, TrustAnchor[]>;
}

function makeAnchor(source: AnchorSource, der: Uint8Array): TrustAnchor {
  let parsed: ParsedCertificate | null | undefined;
  return {
    source,
    der,
    parsed() {
      if (parsed === undefined) {
        try {
          parsed = parseCertificate(der);
        } catch {
          parsed = null; // a broken root in an OS store must not break every scan
        }
      }
      return parsed ?? undefined;
    },
  };
}

/**
 * Indexes DER certificates by subject with the DER reader alone. Measured on the 2-core
 * dev box, warm: ~3 ms for Node's 121 bundled roots (PEM decode included), against
 * ~20 ms to parse them all with OpenSSL; only the few anchors a lookup finds are parsed.
 */
function buildIndex(group: Group): Map<string, TrustAnchor[]> {
  const index = new Map<string, TrustAnchor[]>();
  const seen = new Set<string>();
  for (const der of group.load()) {
    let subject: string;
    try {
      subject = toHex(certificateSubject(der));
    } catch {
      continue; // unreadable: never an anchor
    }
    const key = Buffer.from(der).toString('base64');
    if (seen.has(key)) continue; // OS stores list a root once per file name it has
    seen.add(key);
    const list = index.get(subject) ?? [];
    list.push(makeAnchor(group.source, der));
    index.set(subject, list);
  }
  return index;
}

function pemListToDer(pems: readonly string[]): Uint8Array[] {
  return pems.flatMap((pem) => {
    try {
      return pemCertificates(pem);
    } catch {
      return [];
    }
  });
}

function systemCertificates(): readonly string[] {
  // tls.getCACertificates arrived in Node 22.15/23.10; older runtimes have no system store.
  return typeof tls.getCACertificates === 'function' ? tls.getCACertificates('system') : [];
}

/**
 * The anchors a chain may end at: CA files, then Mozilla's roots, then the OS store.
 * Each source is indexed on first lookup. The OS store is *deferred*: lookups skip it
 * unless asked (`withDeferred`), so a scan of a server that chains to a Mozilla root never
 * reads it (~100 ms here for ~600 files); verification asks only when a path found
 * without it ends untrusted.
 */
export class TrustStore {
  readonly #groups: Group[];

  constructor(options: TrustStoreOptions = {}) {
    this.#groups = [
      ...(options.files ?? []).map((f) => ({
        source: `file:${f.path}` as const,
        deferred: false,
        load: () => f.certificates,
      })),
      ...(options.mozilla === false
        ? []
        : [
            {
              source: 'mozilla' as const,
              deferred: false,
              load: () => pemListToDer(tls.rootCertificates),
            },
          ]),
      ...(options.system === false
        ? []
        : [
            {
              source: 'system' as const,
              deferred: true,
              load: () => pemListToDer(systemCertificates()),
            },
          ]),
    ];
  }

  /** Whether some source is skipped by lookups without `withDeferred`. */
  get hasDeferred(): boolean {
    return this.#groups.some((g) => g.deferred);
  }

  /** Anchors whose subject is `name` (Name DER), source by source. */
  *named(name: Uint8Array, withDeferred = false): Generator<TrustAnchor> {
    const key = toHex(name);
    for (const group of this.#groups) {
      if (group.deferred && !withDeferred) continue;
      group.index ??= buildIndex(group);
      yield* group.index.get(key) ?? [];
    }
  }

  /**
   * The anchor that *is* this certificate: same subject and same public key (the same
   * root, or a cross-signed copy of it), so a path may end at it.
   */
  anchorFor(cert: ParsedCertificate, withDeferred = false): TrustAnchor | undefined {
    for (const anchor of this.named(cert.parts.subject, withDeferred)) {
      const parsed = anchor.parsed();
      if (parsed !== undefined && Buffer.compare(parsed.parts.spki, cert.parts.spki) === 0) {
        return anchor;
      }
    }
    return undefined;
  }
}

/**
 * Reads a `--ca` file: any number of PEM certificates, or one DER certificate. At most
 * MAX_CA_FILE_BYTES are read; a file that is bigger, holds no certificate, or holds one
 * OpenSSL cannot parse is WT_ERR_PKI_CA_FILE naming the file and the certificate.
 */
export async function readCaFile(path: string, maxBytes = MAX_CA_FILE_BYTES): Promise<CaFile> {
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      // one byte more than allowed tells "exactly at the cap" from "too big" without stat
      const buffer = Buffer.alloc(maxBytes + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > maxBytes) {
        throw new WiretightError(
          'WT_ERR_PKI_CA_FILE',
          `${path}: larger than ${maxBytes} bytes; a CA file holds certificates only`,
        );
      }
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof WiretightError) throw err;
    const why = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new WiretightError('WT_ERR_PKI_CA_FILE', `${path}: cannot be read (${why})`, {
      cause: err,
    });
  }
  return { path, certificates: parseCaFile(bytes, path) };
}

/** The certificates of a CA file's contents (PEM, or one DER certificate), each checked. */
export function parseCaFile(bytes: Uint8Array, path: string): Uint8Array[] {
  const fail = (why: string): never => {
    throw new WiretightError('WT_ERR_PKI_CA_FILE', `${path}: ${why}`);
  };
  if (bytes.length === 0) fail('the file is empty');
  const text = Buffer.from(bytes).toString('latin1');
  let certificates: Uint8Array[];
  if (text.includes('-----BEGIN ')) {
    try {
      certificates = pemBlocks(text)
        .filter((b) => b.label === 'CERTIFICATE')
        .map((b) => b.der);
    } catch (err) {
      certificates = fail(err instanceof Error ? err.message : String(err));
    }
  } else {
    certificates = [new Uint8Array(bytes)]; // a copy: `bytes` may view a larger read buffer
  }
  if (certificates.length === 0) fail('no PEM certificate in it');
  certificates.forEach((der, i) => {
    try {
      new X509Certificate(der);
      certificateParts(der);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      fail(`certificate #${i + 1} cannot be parsed (${why})`);
    }
  });
  return certificates;
}

let sharedTrustStore: TrustStore | undefined;

/**
 * Node's Mozilla bundle and the system store, one per process: it indexes its anchors
 * once, and every scan of a fleet shares them.
 */
export function defaultTrustStore(): TrustStore {
  sharedTrustStore ??= new TrustStore();
  return sharedTrustStore;
}
