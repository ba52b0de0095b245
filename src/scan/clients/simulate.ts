import type { CheckDriver } from '../checks/active-vulnerabilities.ts';
import { ClientSimulationCheck } from './client-check.ts';
import { loadClientProfiles } from './load.ts';
import type { LoadedProfile } from './profile.ts';
import type { HelloMaterial } from './replay.ts';
import type { ClientSimulationFacts } from './result.ts';

export interface SimulationOptions {
  /** Default: every profile of profiles.json. */
  readonly profiles?: readonly LoadedProfile[];
  /** Randoms and key shares (default: node:crypto). */
  readonly material?: HelloMaterial;
}

/**
 * Replays every client profile against the endpoint behind `driver` (the scan's
 * JobRunner, which bounds the connections): one hello each, whose connection also reads a
 * TLS 1.3 server's encrypted flight, and a second one after a HelloRetryRequest.
 */
export async function simulateClients(
  driver: CheckDriver,
  sni: string | undefined,
  options: SimulationOptions = {},
): Promise<ClientSimulationFacts> {
  const profiles = options.profiles ?? (await loadClientProfiles());
  const clients = await Promise.all(
    profiles.map((p) => driver.drive(new ClientSimulationCheck(p, sni, options.material))),
  );
  return { clients };
}
