// The certificate authority against pebble (Let's Encrypt's test ACME server), in one run:
//   1. issuance through the library: `ca.issue` (a distinct pre-generated P-256 key per
//      certificate) and `ca.issueFromCsr` (pre-made CSRs), one after the other on this
//      thread; certificates per second and per CPU-second ("per core");
//   2. ACME orders per second with a concurrent client (bench/lib/ca/acme-client.ts: one
//      account per worker, then newOrder → authz → http-01 → finalize → chain, each chain
//      checked), against `ca serve` in a child process and against pebble with
//      PEBBLE_VA_NOSLEEP=1; both validate for real against the bench's http-01 responder.
//      pebble 2.4.0 deadlocks under concurrent orders: a run that stops making progress
//      ends after 20 s, and pebble is measured again, fresh, at half the concurrency;
//   3. one order end to end with `lego --http run` against wiretight, pebble as shipped
//      (random 0–15 s sleeps before validating) and pebble with NOSLEEP; median wall time.
// Prints one table with the targets of the issue, ratios, and where an order's time goes.
//
//   npm run bench:ca                       5,000 certificates, 1,000 orders, 32 at once, 3 lego runs
//   npm run bench:ca -- --quick            1,000 certificates, 200 orders, 1 lego run
//   npm run bench:ca -- --json             the figures as JSON on stdout (progress on stderr)
//   npm run bench:ca -- --cpu-prof DIR     profile `ca serve` (its whole life: ACME run, lego runs)
//   npm run bench:ca -- --certificates N --orders M --concurrency C --runs K --poll-ms P
//
// Needs openssl; pebble and lego (Debian packages pebble, lego) for their rows. Runs the
// sources in src/ directly, not dist/. Never decides pass/fail: it prints figures for people.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { removeAtExit } from '../test/helpers/cleanup.ts';
import { exec } from '../test/helpers/exec.ts';
import { makeTestPki } from '../test/helpers/pki.ts';
import { findProgram } from '../test/helpers/tools.ts';
import { runAcmeLoad } from './lib/ca/acme-load.ts';
import { startChallengeBoard } from './lib/ca/challenge-board.ts';
import { timeLegoOrder, type LegoRun } from './lib/ca/lego.ts';
import { measureLibrary } from './lib/ca/library.ts';
import { type Pebble, type PebbleFlavour, startPebble } from './lib/ca/pebble.ts';
import {
  type AcmeFigures,
  type CaBenchResults,
  acmeFigures,
  legoFigures,
  reportLines,
} from './lib/ca/report.ts';
import { BENCH_DNS_SUFFIX, createBenchCa, startWiretightService } from './lib/ca/wiretight.ts';

const USAGE = `usage: node bench/ca.ts [options]
  --quick               1,000 certificates, 200 orders, 1 lego run (unless given)
  --certificates N      certificates through each library call (default 5000)
  --orders M            ACME orders per server (default 1000)
  --concurrency C       concurrent ACME workers, one account each (default 32)
  --runs K              lego runs per server (default 3)
  --poll-ms P           ACME poll interval when the server sends no Retry-After (default 100)
  --cpu-prof DIR        write a V8 CPU profile of \`ca serve\` (ACME and lego runs) into DIR
  --json                print the figures as JSON on stdout
  --help`;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    certificates: { type: 'string' },
    orders: { type: 'string' },
    concurrency: { type: 'string', default: '32' },
    runs: { type: 'string' },
    'poll-ms': { type: 'string', default: '100' },
    'cpu-prof': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`--${name}: expected a positive integer, got ${text}`);
  }
  return n;
}

const settings = {
  certificates: positive('certificates', args.certificates, args.quick ? 1000 : 5000),
  orders: positive('orders', args.orders, args.quick ? 200 : 1000),
  concurrency: positive('concurrency', args.concurrency, 32),
  runs: positive('runs', args.runs, args.quick ? 1 : 3),
  pollMs: positive('poll-ms', args['poll-ms'], 100),
};
// What the bench found when pebble stopped answering, for the note that reports it.
const PEBBLE_DEADLOCK =
  'pebble 2.4.0 deadlocks under concurrent orders (seen at 32 and at 16, after tens to hundreds ' +
  'of orders): a SIGQUIT dump shows every request goroutine waiting on its in-memory store ' +
  "lock (db.MemoryStore's RWMutex), while FindValidAuthorization holds that lock for reading " +
  "and waits on an authorization's own lock: a lock-order deadlock inside pebble.";
const progress = (line: string): void => void process.stderr.write(`bench:ca: ${line}\n`);
const notes: string[] = [];

/** Runs a phase; a failure becomes a note and the other phases still run. */
async function phase<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  progress(name);
  try {
    return await fn();
  } catch (error) {
    notes.push(`${name} FAILED: ${(error as Error).message.split('\n').slice(0, 3).join(' | ')}`);
    return undefined;
  }
}

function commandOutput(cmd: string, cmdArgs: string[]): string {
  try {
    return execFileSync(cmd, cmdArgs, { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return 'not installed';
  }
}

const pebbleInstalled = findProgram('pebble') !== undefined;
const legoInstalled = findProgram('lego') !== undefined;
const debianVersion = (pkg: string): string =>
  commandOutput('dpkg-query', ['-W', '-f', '${Version}', pkg]);

// Others may share the machine: the load when the bench starts says how far to trust walls.
const loadAtStart = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
const work = mkdtempSync(join(tmpdir(), 'wiretight-bench-ca-'));
removeAtExit(work);
const cpuProfDir = args['cpu-prof'];
if (cpuProfDir !== undefined) mkdirSync(cpuProfDir, { recursive: true });

// 1. The library.
const library = await phase(
  `library: ${settings.certificates} issue() + issueFromCsr()`,
  async () => {
    const ca = await createBenchCa(work, 'library');
    const result = await measureLibrary(ca, settings.certificates);
    for (const [i, chain] of result.sampleChains.entries()) {
      const file = join(work, `library-sample-${i}.pem`);
      writeFileSync(file, chain);
      const r = await exec('openssl', ['verify', '-CAfile', ca.rootFile, '-untrusted', file, file]);
      if (r.code !== 0)
        notes.push(`library: openssl verify refused a sample chain: ${r.stderr.trim()}`);
    }
    for (const p of result.problems) notes.push(`library: bad certificate: ${p}`);
    return result;
  },
);

// 2 and 3 share one http-01 port: the bench's responder holds it for the client runs,
// then lego listens on it; wiretight and both pebbles validate against it.
const board = await startChallengeBoard();
const challengePort = board.port;
let acmeStore = 'not started';
const acmeCa = await createBenchCa(work, 'acme');
const wiretight = await phase('ca serve (child process)', () =>
  startWiretightService(acmeCa, challengePort, cpuProfDir),
);
const pki = pebbleInstalled ? await makeTestPki(join(work, 'pki')) : undefined;
const pebbles: Pebble[] = [];
// pebble's HTTPS certificate comes from the test PKI (P-256 leaf for 127.0.0.1); its root
// is what the clients trust for pebble: as a file for lego, as PEM for the bench's client.
const pebbleRootFile = pki?.root.cert ?? '';
const pebbleRootPem = pki === undefined ? '' : readFileSync(pebbleRootFile, 'utf8');
/** A fresh pebble (each phase gets its own: one that deadlocked must not spoil the next). */
const startFlavour = (flavour: PebbleFlavour): Promise<Pebble | undefined> =>
  phase(`pebble (${flavour})`, async () => {
    const started = await startPebble({
      dir: work,
      flavour,
      certificate: pki!.ecdsa.chain,
      privateKey: pki!.ecdsa.key,
      httpPort: challengePort,
    });
    pebbles.push(started);
    return started;
  });

const loads: { wiretight?: AcmeFigures | undefined; pebble?: AcmeFigures | undefined } = {};
const orderName = (server: string) => (i: number) => `o${i}.${server}.${BENCH_DNS_SUFFIX}`;
const loadOptions = {
  board,
  orders: settings.orders,
  concurrency: settings.concurrency,
  pollMs: settings.pollMs,
};
try {
  if (wiretight !== undefined) {
    acmeStore = wiretight.store;
    const server = wiretight.server;
    loads.wiretight = await phase(
      `ACME: ${settings.orders} orders, ${settings.concurrency} at once, wiretight`,
      async () =>
        acmeFigures(
          await runAcmeLoad({
            ...loadOptions,
            directoryUrl: wiretight.directoryUrl,
            caPem: acmeCa.rootPem,
            nameOf: orderName('wiretight'),
            serverCpuMs: () => server.cpuMs(),
          }),
        ),
    );
  }
  if (pebbleInstalled) {
    // A fresh pebble per attempt; one that deadlocks is measured again at half the
    // concurrency, so the ratio still has a pebble figure from a run that finished.
    let concurrency = settings.concurrency;
    for (;;) {
      const fast = await startFlavour('fast');
      if (fast === undefined) break;
      const label = `ACME: ${settings.orders} orders, ${concurrency} at once, pebble NOSLEEP`;
      const figures = await phase(label, async () =>
        acmeFigures(
          await runAcmeLoad({
            ...loadOptions,
            concurrency,
            directoryUrl: fast.directoryUrl,
            caPem: pebbleRootPem,
            nameOf: orderName('pebble'),
            serverCpuMs: () => fast.server.cpuMs(),
          }),
        ),
      );
      await fast.stop();
      if (figures?.stalledAfterOrders === undefined || concurrency < 4) {
        loads.pebble = figures;
        break;
      }
      const first = concurrency === settings.concurrency;
      notes.push(
        `ACME pebble: STOPPED ANSWERING after ${figures.stalledAfterOrders} of ${settings.orders} timed ` +
          `orders at ${concurrency} concurrent (no order done for 20 s); measured again at ` +
          `${Math.floor(concurrency / 2)}.${first ? ` ${PEBBLE_DEADLOCK}` : ''}`,
      );
      concurrency = Math.floor(concurrency / 2);
    }
  }
  for (const [who, figures] of Object.entries(loads)) {
    if (figures?.stalledAfterOrders !== undefined) {
      notes.push(
        `ACME ${who}: the server STOPPED ANSWERING after ${figures.stalledAfterOrders} of ${figures.orders} ` +
          "timed orders (no order completed or failed for 20 s); its figures are those orders'.",
      );
    }
    if (figures !== undefined && figures.failed > 0) {
      notes.push(
        `ACME ${who}: ${figures.failed} of ${figures.orders} orders FAILED, e.g. ${figures.errors.slice(0, 3).join('; ')}`,
      );
    }
  }
  await board.close();

  // 3. lego: the three servers in turn within each run, so a noisy moment hits all alike.
  const lego: Record<'wiretight' | 'pebbleShipped' | 'pebbleFast', LegoRun[]> = {
    wiretight: [],
    pebbleShipped: [],
    pebbleFast: [],
  };
  if (legoInstalled) {
    const shipped = pebbleInstalled ? await startFlavour('shipped') : undefined;
    const fast = pebbleInstalled ? await startFlavour('fast') : undefined;
    const targets = [
      ['wiretight', wiretight?.directoryUrl, acmeCa.rootFile],
      ['pebbleShipped', shipped?.directoryUrl, pebbleRootFile],
      ['pebbleFast', fast?.directoryUrl, pebbleRootFile],
    ] as const;
    for (let run = 1; run <= settings.runs; run++) {
      for (const [who, directoryUrl, rootFile] of targets) {
        if (directoryUrl === undefined) continue;
        progress(`lego run ${run}/${settings.runs} against ${who}`);
        lego[who].push(
          await timeLegoOrder({
            directoryUrl,
            rootFile,
            home: join(work, `lego-${who}-${run}`),
            httpPort: challengePort,
            domain: `lego${run}.${who.toLowerCase()}.${BENCH_DNS_SUFFIX}`,
          }),
        );
      }
    }
  } else notes.push('lego not installed (Debian package lego): no lego rows');
  const legoResults = {
    ...(lego.wiretight.length > 0 ? { wiretight: legoFigures(lego.wiretight) } : {}),
    ...(lego.pebbleShipped.length > 0 ? { pebbleShipped: legoFigures(lego.pebbleShipped) } : {}),
    ...(lego.pebbleFast.length > 0 ? { pebbleFast: legoFigures(lego.pebbleFast) } : {}),
  };
  for (const [who, figures] of Object.entries(legoResults)) {
    for (const f of figures.failures) notes.push(`lego ${who}: run FAILED: ${f}`);
  }
  if (!pebbleInstalled)
    notes.push('pebble not installed (Debian package pebble): no pebble columns');
  report({
    environment: {
      node: process.version,
      nodeOpenssl: process.versions.openssl,
      opensslCli: commandOutput('openssl', ['version']),
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      pebble: debianVersion('pebble'),
      lego: debianVersion('lego'),
      acmeStore,
      loadAverage: loadAtStart,
      date: new Date().toISOString(),
    },
    settings,
    ...(library === undefined
      ? {}
      : {
          library: {
            issue: library.issue,
            issueFromCsr: library.issueFromCsr,
            problems: library.problems,
          },
        }),
    acme: loads,
    lego: legoResults,
    notes,
  });
} finally {
  await board.close();
  await wiretight?.server.stop();
  for (const p of pebbles) await p.stop();
  if (cpuProfDir !== undefined) progress(`CPU profile of ca serve written to ${cpuProfDir}`);
}

function report(results: CaBenchResults): void {
  if (args.json) console.log(JSON.stringify(results, null, 2));
  else for (const line of reportLines(results)) console.log(line);
}
