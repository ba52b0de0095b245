// One ACME order end to end with lego (Debian package lego), the way a user runs it:
// `lego --http run` in a fresh directory, so each run registers an account, makes a key,
// answers http-01 on its own listener, and writes the certificate. The time is the whole
// process, spawn to exit; the certificate lego wrote is checked before the run counts.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lego } from '../../../test/helpers/acme-clients.ts';
import { chainProblem } from './chain-check.ts';

export interface LegoRun {
  readonly ms: number;
  /** Why the run does not count: lego failed, or its certificate is wrong. */
  readonly error?: string;
}

export interface LegoOrder {
  readonly directoryUrl: string;
  /** PEM file of the root of the server's HTTPS certificate. */
  readonly rootFile: string;
  /** A directory of its own for this run. */
  readonly home: string;
  /** Where lego listens for http-01 (the port the server validates against). */
  readonly httpPort: number;
  readonly domain: string;
}

export function legoArgs(o: Pick<LegoOrder, 'httpPort' | 'domain'>): string[] {
  return ['--http', '--http.port', `127.0.0.1:${o.httpPort}`, '--domains', o.domain, 'run'];
}

export async function timeLegoOrder(o: LegoOrder): Promise<LegoRun> {
  const t0 = performance.now();
  const r = await lego(
    { server: o.directoryUrl, rootPem: o.rootFile, home: o.home },
    legoArgs(o),
    true,
  );
  const ms = performance.now() - t0;
  if (r.code !== 0) {
    const why = r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`;
    return { ms, error: `lego ${why}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  }
  try {
    const dir = join(o.home, 'certificates');
    const key = createPublicKey(readFileSync(join(dir, `${o.domain}.key`)));
    const problem = chainProblem(readFileSync(join(dir, `${o.domain}.crt`), 'utf8'), o.domain, key);
    return problem === undefined ? { ms } : { ms, error: problem };
  } catch (error) {
    return { ms, error: `lego's certificate cannot be read: ${(error as Error).message}` };
  }
}
