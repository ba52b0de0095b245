// A CA in a temporary directory for the tests, with a clock the test moves and a
// recording logger and registry to read back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LogRecord, recordingLogger } from '../../core/logger.ts';
import { type Registry, createRegistry } from '../../metrics/registry.ts';
import { CertificateAuthority } from '../authority.ts';
import { type InitOptions, initCa } from '../init.ts';
import { memoryCaStore } from './memory-store.ts';

export const PASSPHRASE = 'correct horse battery staple';

export interface TestCa {
  readonly dir: string;
  readonly ca: CertificateAuthority;
  readonly records: LogRecord[];
  readonly registry: Registry;
  /** The CA's clock; move it with `advance`. */
  now: Date;
  advance(seconds: number): void;
  /** Opens the same directory again, as another process would (sharing the store). */
  reopen(): Promise<CertificateAuthority>;
  close(): Promise<void>;
}

export const TEST_INIT: Omit<InitOptions, 'dir' | 'passphrase'> = {
  permitDns: ['.svc.internal', 'exact.example.com'],
  permitIp: ['10.0.0.0/8', 'fd00::/8'],
  spiffeTrustDomain: 'example.org',
  publicUrl: 'http://127.0.0.1:9/ca',
};

export async function makeTestCa(init: Partial<InitOptions> = {}): Promise<TestCa> {
  const dir = mkdtempSync(join(tmpdir(), 'wiretight-ca-test-'));
  const state = { now: new Date('2030-03-01T12:00:00Z') };
  const clock = (): Date => state.now;
  await initCa({ ...TEST_INIT, clock, ...init, dir, passphrase: init.passphrase ?? PASSPHRASE });
  const logger = recordingLogger();
  const registry = createRegistry({ defaultMetrics: false });
  // One store for every CA opened on the directory, as processes share ca.db.
  const store = memoryCaStore();
  const open = (): Promise<CertificateAuthority> =>
    CertificateAuthority.open({
      dir,
      passphrase: init.passphrase ?? PASSPHRASE,
      store,
      clock,
      logger,
      registry,
    });
  const ca = await open();
  const opened: CertificateAuthority[] = [ca];
  return {
    dir,
    ca,
    records: logger.records,
    registry,
    get now() {
      return state.now;
    },
    set now(value: Date) {
      state.now = value;
    },
    advance(seconds) {
      state.now = new Date(state.now.getTime() + seconds * 1000);
    },
    async reopen() {
      const again = await open();
      opened.push(again);
      return again;
    },
    async close() {
      for (const c of opened) await c.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
