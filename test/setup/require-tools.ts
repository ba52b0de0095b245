// Run before the integration tests (`npm test` runs it as pretest): makes sure the system
// programs they drive are installed. As root with apt-get, installs what is missing;
// otherwise exits 1 with one line naming the programs and their Debian packages.
// Fast path (everything present) is a few stat calls, no child process.
import { spawnSync } from 'node:child_process';
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { REQUIRED_TOOLS, TOOL_PACKAGES, findProgram, type Tool } from '../helpers/tools.ts';

const missing = (): Tool[] => REQUIRED_TOOLS.filter((t) => findProgram(t) === undefined);

function describe(tools: readonly Tool[]): string {
  const packages = [...new Set(tools.map((t) => TOOL_PACKAGES[t]))];
  return `missing programs: ${tools.join(', ')} (Debian packages: ${packages.join(' ')}; apt-get install -y ${packages.join(' ')})`;
}

function run(cmd: string, args: string[]): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // stdout to stderr: keep apt's chatter out of whatever reads our stdout.
  const r = spawnSync(cmd, args, { stdio: ['ignore', 2, 2], env });
  return r.status === 0;
}

// While installing, forbid services from starting (policy-rc.d exit 101): Debian's nginx
// postinst starts nginx on port 80 and fails the install when it cannot bind.
function withServicesHeld(fn: () => void): void {
  const policy = '/usr/sbin/policy-rc.d';
  const ours = !existsSync(policy);
  if (ours) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    fn();
  } finally {
    if (ours) unlinkSync(policy);
  }
}

function preseedPostfix(): void {
  const r = spawnSync('debconf-set-selections', [], {
    input: 'postfix postfix/main_mailer_type select No configuration\n',
    stdio: ['pipe', 2, 2],
  });
  if (r.status !== 0) console.error('require-tools: could not preseed postfix (debconf)');
}

const before = missing();
if (before.length > 0) {
  const apt = findProgram('apt-get');
  const root = process.getuid?.() === 0;
  if (!root || apt === undefined) {
    console.error(`require-tools: ${describe(before)}`);
    process.exit(1);
  }
  const packages = [...new Set(before.map((t) => TOOL_PACKAGES[t]))];
  console.error(`require-tools: installing ${packages.join(' ')} with apt-get`);
  withServicesHeld(() => {
    // Postfix's debconf default ("Internet Site") writes a system main.cf and enables a
    // system Postfix; the tests start private instances and want neither.
    if (packages.includes('postfix')) preseedPostfix();
    run(apt, ['update']);
    run(apt, ['install', '-y', '--no-install-recommends', ...packages]);
  });
  const after = missing();
  if (after.length > 0) {
    console.error(`require-tools: apt-get install failed; ${describe(after)}`);
    process.exit(1);
  }
}
