// The real ACME clients of the CA tests and the ACME bench: certbot and lego, from Debian,
// each confined to a directory of its own and trusting the CA under test through the
// environment variable it reads (REQUESTS_CA_BUNDLE for certbot, LEGO_CA_CERTIFICATES for
// lego), never the system store.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { exec, type ExecResult } from './exec.ts';
import { requireProgram } from './tools.ts';

export interface AcmeClientContext {
  /** The ACME directory URL. */
  readonly server: string;
  /** A PEM file with the root that signed the server's HTTPS certificate. */
  readonly rootPem: string;
  /** Where the client keeps its account, keys and certificates. */
  readonly home: string;
}

const TIMEOUT_MS = 120_000;

function failed(what: string, r: ExecResult): Error {
  return new Error(
    `${what} failed (${r.timedOut ? 'timed out' : `exit ${r.code}`}):\n${r.stdout}\n${r.stderr}`,
  );
}

/** Runs certbot with its config, work and log dirs under `ctx.home`; throws on failure unless `allowFailure`. */
export async function certbot(
  ctx: AcmeClientContext,
  args: readonly string[],
  allowFailure = false,
): Promise<ExecResult> {
  const home = ctx.home;
  mkdirSync(home, { recursive: true });
  const r = await exec(
    requireProgram('certbot'),
    [
      ...args,
      '--non-interactive',
      '--config-dir',
      join(home, 'config'),
      '--work-dir',
      join(home, 'work'),
      '--logs-dir',
      join(home, 'logs'),
    ],
    { env: { ...process.env, REQUESTS_CA_BUNDLE: ctx.rootPem }, timeoutMs: TIMEOUT_MS },
  );
  if (r.code !== 0 && !allowFailure) throw failed(`certbot ${args[0]}`, r);
  return r;
}

/** Runs lego with `--server`, `--path` and a test account email; throws on failure unless `allowFailure`. */
export async function lego(
  ctx: AcmeClientContext,
  args: readonly string[],
  allowFailure = false,
): Promise<ExecResult> {
  mkdirSync(ctx.home, { recursive: true });
  const r = await exec(
    requireProgram('lego'),
    [
      '--server',
      ctx.server,
      '--path',
      ctx.home,
      '--email',
      'ops@wiretight.test',
      '--accept-tos',
      ...args,
    ],
    { env: { ...process.env, LEGO_CA_CERTIFICATES: ctx.rootPem }, timeoutMs: TIMEOUT_MS },
  );
  if (r.code !== 0 && !allowFailure) throw failed(`lego ${args.at(-1) ?? ''}`, r);
  return r;
}
