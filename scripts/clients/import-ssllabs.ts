/**
 * Imports the clients that cannot run here (Android, Internet Explorer, Edge, Safari,
 * older Chrome and Firefox, Java 7-17, OpenSSL 1.0.2-3.0, LibreSSL, mail clients) from
 * SSL Labs' client database, as Debian's testssl.sh 3.0.8 ships it, and writes them as the
 * `ssllabs` profiles of src/scan/clients/profiles.json. Only the entries the database
 * marks current are taken. What is read is data: each entry's name, its ClientHello record
 * (hex) and the limits SSL Labs gives it (`minDhBits`, `maxDhBits`, `minRsaBits`,
 * `maxRsaBits`, `minEcdsaBits`, `requiresSha2`; -1 means unknown).
 *
 *   node_modules/.bin/node scripts/clients/import-ssllabs.ts [FILE]
 *
 * FILE defaults to /etc/testssl/client-simulation.txt (`apt-get install testssl.sh`).
 */
import { readFileSync, statSync } from 'node:fs';
import { ByteReader, fromHex, toHex } from '../../src/core/bytes.ts';
import {
  type ClientConstraints,
  type ClientProfile,
  CONSTRAINT_NAMES,
  loadProfile,
} from '../../src/scan/clients/profile.ts';
import { encodeClientHelloBody } from '../../src/wire/client-hello.ts';
import { HANDSHAKE_TYPE, HandshakeReassembler } from '../../src/wire/handshake.ts';
import { CONTENT_TYPE, RecordDeframer } from '../../src/wire/record.ts';
import { writeProfiles } from './profiles-file.ts';

const DEFAULT_FILE = '/etc/testssl/client-simulation.txt';
const PACKAGE = 'Debian testssl.sh 3.0.8+dfsg-1';

/** One database entry: every `key+=(value)` line between two `names+=` lines. */
type Entry = Map<string, string>;

/**
 * The file is a list of shell array appends. Values are read as data, never run: a quoted
 * string or a bare token. One field is misspelt in this copy (`requireseha2` for Java
 * 17.0.3); it is read as `requiresSha2`, which is what it says.
 */
function parseDatabase(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_0-9]+)\+=\((?:"([^"]*)"|([^)\s]*))\)\s*$/.exec(line);
    if (m === null) continue;
    const key = m[1] === 'requireseha2' ? 'requiresSha2' : (m[1] as string);
    const value = m[2] ?? m[3] ?? '';
    if (key === 'names') entries.push(new Map());
    const entry = entries.at(-1);
    if (entry === undefined) throw new Error(`"${key}" before the first names+=`);
    if (entry.has(key)) throw new Error(`"${key}" twice in entry ${entry.get('names')}`);
    entry.set(key, value);
  }
  return entries;
}

/** The ClientHello body inside the entry's records (TLS records, or one SSLv2 record). */
function helloBody(recordHex: string): { body: Uint8Array; converted: boolean } {
  const bytes = fromHex(recordHex);
  if ((bytes[0] as number) & 0x80) return { body: sslv2CompatibleHello(bytes), converted: true };
  const deframer = new RecordDeframer();
  const reassembler = new HandshakeReassembler();
  deframer.push(bytes);
  for (let r = deframer.next(); r !== undefined; r = deframer.next()) {
    if (r.type !== CONTENT_TYPE.handshake) throw new Error(`record type ${r.type}`);
    const message = reassembler.push(r.fragment)[0];
    if (message === undefined) continue;
    if (message.type !== HANDSHAKE_TYPE.client_hello) throw new Error(`type ${message.type}`);
    if (deframer.buffered > 0 || reassembler.buffered > 0) throw new Error('bytes after the hello');
    return { body: message.body, converted: false };
  }
  throw new Error('no whole ClientHello in the records');
}

/**
 * An SSLv2-compatible CLIENT-HELLO (2-byte header) becomes the SSLv3+ ClientHello it
 * stands for (RFC 5246 Appendix E.2): same version; the cipher specs that are TLS suites
 * (first byte 0), in order; no session id, no compression, no extensions; the challenge
 * right-aligned in the random. The replay sends a fresh random anyway.
 */
function sslv2CompatibleHello(bytes: Uint8Array): Uint8Array {
  const record = new ByteReader(bytes, 'SSLv2 record');
  const length = record.u16('header') & 0x7fff;
  const r = record.take(length, 'CLIENT-HELLO');
  record.expectEnd();
  if (r.u8('msg_type') !== 1) r.fail('not a CLIENT-HELLO');
  const version = r.u16('version');
  const specsLength = r.u16('cipher_spec_length');
  const sessionIdLength = r.u16('session_id_length');
  const challengeLength = r.u16('challenge_length');
  if (specsLength % 3 !== 0) r.fail('cipher_spec_length is not a multiple of 3');
  const specs = r.take(specsLength, 'cipher_specs');
  r.bytes(sessionIdLength, 'session_id');
  const challenge = r.bytes(challengeLength, 'challenge');
  r.expectEnd();
  if (challenge.length < 16 || challenge.length > 32) r.fail('challenge is not 16..32 bytes');
  const suites: number[] = [];
  while (!specs.atEnd) {
    const spec = specs.u24('cipher_spec');
    if (spec <= 0xffff) suites.push(spec);
  }
  const random = new Uint8Array(32);
  random.set(challenge, 32 - challenge.length);
  return encodeClientHelloBody({
    legacyVersion: version,
    random,
    sessionId: new Uint8Array(0),
    cipherSuites: suites,
    compressionMethods: [0],
    extensions: null,
  });
}

/** `Chrome 101 (Win 10)` → `chrome-101-win-10`. */
function profileId(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Families by the start of the database's names. */
const FAMILIES: readonly (readonly [string, string])[] = [
  ['Android', 'Android'],
  ['Chrome', 'Chrome'],
  ['Firefox', 'Firefox'],
  ['IE', 'Internet Explorer'],
  ['Edge', 'Edge'],
  ['Safari', 'Safari'],
  ['Opera', 'Opera'],
  ['Java', 'Java'],
  ['go', 'Go'],
  ['LibreSSL', 'LibreSSL'],
  ['OpenSSL', 'OpenSSL'],
  ['Apple Mail', 'Apple Mail'],
  ['Thunderbird', 'Thunderbird'],
  ['YandexBrowser', 'Yandex'],
];

function family(name: string): string {
  const hit = FAMILIES.find(([prefix]) => name.startsWith(`${prefix} `));
  if (hit === undefined) throw new Error(`no family for "${name}"`);
  return hit[1];
}

function constraintsOf(entry: Entry, name: string): ClientConstraints {
  const out: Record<string, number | boolean> = {};
  for (const key of CONSTRAINT_NAMES) {
    const raw = entry.get(key);
    if (raw === undefined) throw new Error(`${name}: no ${key}`);
    if (key === 'requiresSha2') {
      if (raw !== 'true' && raw !== 'false') throw new Error(`${name}: ${key}=${raw}`);
      // Only a limit is worth keeping: false is what a client without one does.
      if (raw === 'true') out[key] = true;
      continue;
    }
    const bits = Number(raw);
    if (!Number.isInteger(bits) || (bits !== -1 && bits <= 0)) {
      throw new Error(`${name}: ${key}=${raw}`);
    }
    if (bits !== -1) out[key] = bits;
  }
  return out;
}

function profileOf(entry: Entry, file: string, copiedOn: string): ClientProfile {
  const name = entry.get('names');
  const record = entry.get('handshakebytes');
  if (name === undefined || record === undefined) throw new Error('an entry without a hello');
  const { body, converted } = helloBody(record);
  const constraints = constraintsOf(entry, name);
  const how = `${file} (${PACKAGE}), entry "${name}"${
    converted
      ? ': its SSLv2-compatible hello rewritten as the SSLv3 ClientHello it stands for (RFC 5246 E.2)'
      : ''
  }`;
  const profile: ClientProfile = {
    id: profileId(name),
    name,
    family: family(name),
    hello: toHex(body),
    ...(Object.keys(constraints).length === 0 ? {} : { constraints }),
    source: { kind: 'ssllabs', how, program: name, recordedOn: copiedOn },
  };
  loadProfile(profile, 0);
  return profile;
}

async function main(): Promise<void> {
  const file = process.argv[2] ?? DEFAULT_FILE;
  // The database has no per-entry dates: the copy's date bounds them from above.
  const copiedOn = statSync(file).mtime.toISOString().slice(0, 10);
  const current = parseDatabase(readFileSync(file, 'utf8')).filter(
    (e) => e.get('current') === 'true',
  );
  const profiles = current.map((e) => profileOf(e, file, copiedOn));
  await writeProfiles('ssllabs', profiles);
  console.log(`${profiles.length} SSL Labs profiles written from ${file}`);
}

await main();
