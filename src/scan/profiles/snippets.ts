/**
 * Ready-to-paste configuration for a Mozilla profile, per server: one aspect at a time (what
 * a finding carries) or a whole configuration (docs, the HTML report). Every snippet is
 * written from the profile data in mozilla.ts; the server files only know syntax.
 */
import {
  ASPECT_TITLES,
  SNIPPET_ASPECTS,
  commented,
  type Dialect,
  type SnippetAspect,
  type SnippetContext,
} from './dialect.ts';
import { mozillaProfile, type MozillaProfile, type ProfileName } from './mozilla.ts';
import { apache } from './servers/apache.ts';
import { caddy } from './servers/caddy.ts';
import { haproxy } from './servers/haproxy.ts';
import { nginx } from './servers/nginx.ts';
import { node, nodeOptions, type NodeTlsOptions } from './servers/node.ts';
import { postgresql } from './servers/postgresql.ts';

export { SNIPPET_ASPECTS, SNIPPET_PATHS, type SnippetAspect } from './dialect.ts';
export type { NodeTlsOptions } from './servers/node.ts';

export const SNIPPET_SERVERS = [
  'nginx',
  'apache',
  'haproxy',
  'caddy',
  'postgresql',
  'node',
] as const;
export type SnippetServer = (typeof SNIPPET_SERVERS)[number];

/** One snippet per server, in the shape findings carry (`Finding.snippets`). */
export type ServerSnippets = Readonly<Record<SnippetServer, string>>;

export interface SnippetOptions {
  /**
   * The OpenSSL the servers are built with, `3.0.13` or `3.5` (default `3.5`, the current
   * LTS and Node 24's). Before 3.5 the snippets leave X25519MLKEM768 out (OpenSSL refuses a
   * group list naming a group it does not know); from 3.0 on, the old profile's cipher
   * strings start with `@SECLEVEL=0`, without which OpenSSL 3 refuses TLS 1.0 and 1.1.
   */
  readonly openssl?: string;
}

export const DEFAULT_OPENSSL = '3.5';

function opensslVersion(version: string): readonly [number, number] {
  const m = /^(\d{1,3})\.(\d{1,3})(?:\.\d{1,3}[a-z]?)?$/.exec(version);
  if (m === null) throw new RangeError(`OpenSSL version ${version}: expected e.g. 3.0.13 or 3.5`);
  return [Number(m[1]), Number(m[2])];
}

const atLeast = (v: readonly [number, number], major: number, minor: number): boolean =>
  v[0] > major || (v[0] === major && v[1] >= minor);

// Groups that need a newer OpenSSL than the 1.1.1 every profile already assumes.
const GROUP_MIN_OPENSSL: Readonly<Record<string, readonly [number, number]>> = {
  X25519MLKEM768: [3, 5],
};

function context(profile: MozillaProfile, options: SnippetOptions): SnippetContext {
  const openssl = options.openssl ?? DEFAULT_OPENSSL;
  const version = opensslVersion(openssl);
  const known = (group: string): boolean => {
    const min = GROUP_MIN_OPENSSL[group];
    return min === undefined || atLeast(version, min[0], min[1]);
  };
  // OpenSSL 3 puts TLS 1.0/1.1 (SHA-1 signatures) below its default security level.
  const seclevel0 = profile.protocols.includes('TLSv1.1') && atLeast(version, 3, 0);
  const tls12 = profile.tls12Suites.map((s) => s.openssl);
  return {
    profile,
    openssl,
    groups: profile.groups.filter((g) => known(g.openssl)),
    missingGroups: profile.groups.filter((g) => !known(g.openssl)),
    opensslCiphers:
      tls12.length === 0 ? '' : [...(seclevel0 ? ['@SECLEVEL=0'] : []), ...tls12].join(':'),
    tls13Ciphers: profile.tls13Suites.map((s) => s.openssl).join(':'),
  };
}

function perServer(write: (d: Dialect) => string): ServerSnippets {
  return {
    nginx: write(nginx),
    apache: write(apache),
    haproxy: write(haproxy),
    caddy: write(caddy),
    postgresql: write(postgresql),
    node: write(node),
  };
}

const profileTitle = (p: MozillaProfile): string =>
  `Mozilla ${p.name} (Server Side TLS guidelines ${p.guidelines})`;

/** The part of a server's configuration that sets one aspect of the profile. */
export function aspectSnippets(
  profile: ProfileName,
  aspect: SnippetAspect,
  options: SnippetOptions = {},
): ServerSnippets {
  if (!SNIPPET_ASPECTS.includes(aspect)) throw new RangeError(`unknown snippet aspect ${aspect}`);
  const c = context(mozillaProfile(profile), options);
  return perServer((d) =>
    [
      ...commented(d.comment, [`${profileTitle(c.profile)}: ${ASPECT_TITLES[aspect]}`]),
      ...d.aspects[aspect](c),
      '',
    ].join('\n'),
  );
}

/** A whole TLS configuration per server that complies with the profile. */
export function profileSnippets(
  profile: ProfileName,
  options: SnippetOptions = {},
): ServerSnippets {
  const c = context(mozillaProfile(profile), options);
  return perServer((d) =>
    d.whole(
      c,
      commented(d.comment, [
        `${profileTitle(c.profile)} configuration, written by wiretight`,
        `for ${d.product}${d.opensslBased ? ` with OpenSSL ${c.openssl}` : ''}; replace the /path/to/ placeholders`,
      ]),
    ),
  );
}

/** The options a Node TLS server needs for the profile, for code that starts one itself. */
export function nodeTlsOptions(profile: ProfileName, options: SnippetOptions = {}): NodeTlsOptions {
  return nodeOptions(context(mozillaProfile(profile), options));
}
