/**
 * What the service passes to registerAcme, checked once at start: a wrong option is a
 * TypeError/RangeError for the operator, never a surprise on the first request.
 */
import { isIP } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../core/logger.ts';
import { CERTIFICATE_USAGES, type CertificateUsage } from '../ca/types.ts';
import type { AcmeCertificateAuthority } from './ca-port.ts';
import { VALIDATION_DEFAULTS } from './limits.ts';
import type { AcmeStore } from './store.ts';

export interface ExternalAccountBindingOptions {
  /** Refuse new accounts without a binding (the directory says externalAccountRequired). */
  readonly required: boolean;
  /** Key id → HMAC key bytes, as handed to the account's operator. */
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

export interface ValidationOptions {
  /** Port of http-01 requests (default 80). */
  readonly http01Port?: number;
  /** Port of tls-alpn-01 handshakes (default 443). */
  readonly tlsAlpn01Port?: number;
  /** 'HOST:PORT' of the DNS server for dns-01 and for resolving names (default: the system's). */
  readonly dnsResolver?: string;
  /** Testing only: connect here instead of the identifier's address (as pebble's mock DNS). */
  readonly connectHost?: string;
  /** Deadline of one validation attempt, in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** How long a challenge POST waits for its validation before answering processing (default 5 000). */
  readonly waitMs?: number;
}

export interface AcmeOptions {
  readonly ca: AcmeCertificateAuthority;
  readonly store: AcmeStore;
  /** Scheme, host and port the clients use, without a trailing slash: 'https://ca.internal:8443'. */
  readonly baseUrl: () => string;
  readonly eab?: ExternalAccountBindingOptions;
  readonly validation?: ValidationOptions;
  /** A URL shown in the directory's meta; new accounts must then agree to it. */
  readonly termsOfService?: string;
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** Milliseconds clock (default Date.now). */
  readonly now?: () => number;
  /** Lifetime of issued certificates; the CA policy's default when absent. */
  readonly certificateLifetimeSeconds?: number;
  /** Extended key usage of issued certificates (default 'server'). */
  readonly issuanceUsage?: CertificateUsage;
}

export interface ResolvedValidation {
  readonly http01Port: number;
  readonly tlsAlpn01Port: number;
  readonly dnsResolver?: string;
  readonly connectHost?: string;
  readonly timeoutMs: number;
  readonly waitMs: number;
}

function port(value: number | undefined, fallback: number, name: string): number {
  const p = value ?? fallback;
  if (!Number.isInteger(p) || p < 1 || p > 65535)
    throw new RangeError(`${name} must be a port number`);
  return p;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number`);
  return n;
}

/** 'HOST:PORT' with an IPv4 host or a bracketed IPv6 host, as node:dns setServers takes it. */
function dnsServer(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const host = m?.[1] ?? m?.[2];
  if (
    m === null ||
    host === undefined ||
    isIP(host) === 0 ||
    Number(m[3]) > 65535 ||
    Number(m[3]) < 1
  ) {
    throw new TypeError('validation.dnsResolver must be "IP:PORT" (IPv6 as "[::1]:53")');
  }
  return value;
}

export function resolveValidation(options: ValidationOptions = {}): ResolvedValidation {
  const dnsResolver = dnsServer(options.dnsResolver);
  if (options.connectHost !== undefined && options.connectHost.length === 0) {
    throw new TypeError('validation.connectHost must not be empty');
  }
  return {
    http01Port: port(options.http01Port, VALIDATION_DEFAULTS.http01Port, 'validation.http01Port'),
    tlsAlpn01Port: port(
      options.tlsAlpn01Port,
      VALIDATION_DEFAULTS.tlsAlpn01Port,
      'validation.tlsAlpn01Port',
    ),
    timeoutMs: positive(options.timeoutMs, VALIDATION_DEFAULTS.timeoutMs, 'validation.timeoutMs'),
    waitMs: positive(options.waitMs, VALIDATION_DEFAULTS.waitMs, 'validation.waitMs'),
    ...(dnsResolver === undefined ? {} : { dnsResolver }),
    ...(options.connectHost === undefined ? {} : { connectHost: options.connectHost }),
  };
}

export function checkOptions(options: AcmeOptions): void {
  if (typeof options.baseUrl !== 'function') throw new TypeError('baseUrl must be a function');
  if (typeof options.ca?.issueFromCsr !== 'function')
    throw new TypeError('ca must implement AcmeCertificateAuthority');
  if (typeof options.store?.createAccount !== 'function')
    throw new TypeError('store must implement AcmeStore');
  if (options.issuanceUsage !== undefined && !CERTIFICATE_USAGES.includes(options.issuanceUsage)) {
    throw new TypeError(`issuanceUsage must be one of ${CERTIFICATE_USAGES.join(', ')}`);
  }
  if (options.certificateLifetimeSeconds !== undefined) {
    positive(options.certificateLifetimeSeconds, 1, 'certificateLifetimeSeconds');
  }
  for (const [kid, key] of options.eab?.keys ?? []) {
    if (kid.length === 0 || !(key instanceof Uint8Array) || key.length < 16) {
      throw new TypeError(`EAB key "${kid}" must have a non-empty id and at least 16 bytes`);
    }
  }
  if (options.eab?.required === true && options.eab.keys.size === 0) {
    throw new TypeError('eab.required needs at least one key');
  }
}
