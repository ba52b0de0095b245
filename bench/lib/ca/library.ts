// Issuance through the library, on this one thread: `ca.issue` with public keys made up
// front (one distinct P-256 key per certificate, so no cache can help), and
// `ca.issueFromCsr` with CSRs made up front (a distinct key each, signed with node:crypto,
// built with @peculiar/asn1-csr). Key and CSR generation stay outside the clock: they are
// the client's work. Each certificate is checked after the clock stops.
import { type KeyObject, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { buildCsr } from '../../../src/acme/testdata/csr.ts';
import { CertificateAuthority } from '../../../src/ca/authority.ts';
import type { IssuedCertificate } from '../../../src/ca/types.ts';
import { openCaStore } from '../../../src/store/sqlite/ca-store.ts';
import { chainProblem } from './chain-check.ts';
import { type Throughput, throughput } from './throughput.ts';
import { BENCH_DNS_SUFFIX, type BenchCa } from './wiretight.ts';

export interface LibraryResult {
  readonly issue: Throughput;
  readonly issueFromCsr: Throughput;
  /** Certificates that failed the check (wrong name, key or signature), with why. */
  readonly problems: readonly string[];
  /** One leaf + intermediate from each run, PEM, for an `openssl verify` by the caller. */
  readonly sampleChains: readonly string[];
}

interface Job {
  readonly name: string;
  readonly publicKey: KeyObject;
  /** For issueFromCsr: the request for `name` and `publicKey`, DER. */
  readonly csr?: Uint8Array;
}

/** Runs `issueOne` over the jobs one after the other; `warmup` first, uncounted. */
async function timeSequential(
  jobs: readonly Job[],
  warmup: number,
  issueOne: (job: Job) => Promise<IssuedCertificate>,
  problems: string[],
): Promise<{ throughput: Throughput; sample: string }> {
  for (const job of jobs.slice(0, warmup)) await issueOne(job);
  const counted = jobs.slice(warmup);
  const issued: IssuedCertificate[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const job of counted) issued.push(await issueOne(job));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  issued.forEach((cert, i) => {
    const job = counted[i]!;
    const problem = chainProblem(cert.chainPem, job.name, job.publicKey);
    if (problem !== undefined && problems.length < 20) problems.push(`${job.name}: ${problem}`);
  });
  return {
    throughput: throughput(counted.length, wallMs, (cpu.user + cpu.system) / 1000),
    sample: issued.at(-1)?.chainPem ?? '',
  };
}

function makeJobs(prefix: string, count: number, withCsr: boolean): Job[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `${prefix}-${i}.${BENCH_DNS_SUFFIX}`;
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const identifiers = [{ type: 'dns', value: name }] as const;
    return withCsr
      ? { name, publicKey: pair.publicKey, csr: buildCsr({ identifiers, ...pair }) }
      : { name, publicKey: pair.publicKey };
  });
}

export async function measureLibrary(ca: BenchCa, certificates: number): Promise<LibraryResult> {
  const authority = await CertificateAuthority.open({
    dir: ca.dir,
    passphrase: ca.passphrase,
    store: openCaStore(join(ca.dir, 'ca.db')),
  });
  try {
    const warmup = Math.min(100, Math.floor(certificates / 10));
    const total = certificates + warmup;
    const problems: string[] = [];
    const issue = await timeSequential(
      makeJobs('lib', total, false),
      warmup,
      (job) =>
        authority.issue({
          publicKey: job.publicKey,
          identifiers: [{ type: 'dns', value: job.name }],
          usage: 'server',
          provisioner: 'library',
        }),
      problems,
    );
    const fromCsr = await timeSequential(
      makeJobs('csr', total, true),
      warmup,
      (job) => authority.issueFromCsr(job.csr!, { usage: 'server', provisioner: 'library' }),
      problems,
    );
    return {
      issue: issue.throughput,
      issueFromCsr: fromCsr.throughput,
      problems,
      sampleChains: [issue.sample, fromCsr.sample],
    };
  } finally {
    await authority.close();
  }
}
