// A server process whose CPU time the bench can read: the test helpers' launch() (own
// process group, killed on exit) plus the group it created, so "server CPU per order" is
// measured the same way for wiretight's service and for pebble.
import { type LaunchSpec, type RunningServer, launch } from '../../../test/helpers/process.ts';
import { childProcessGroups, groupCpuMs } from '../proc.ts';

export interface TrackedServer extends RunningServer {
  /** User + system CPU ms the server's process group has used so far. */
  cpuMs(): number;
}

/** launch(), noting the process group it creates (start servers one at a time). */
export async function launchTracked(spec: LaunchSpec): Promise<TrackedServer> {
  const before = childProcessGroups();
  const server = await launch(spec);
  const groups = new Set([...childProcessGroups()].filter((g) => !before.has(g)));
  return { ...server, cpuMs: () => groupCpuMs(groups) };
}
