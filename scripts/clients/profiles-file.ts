/**
 * The one profile file both scripts write: each replaces only the profiles of its own
 * source kind, checks the whole file with the loader the scanner uses, and writes it in
 * the repository's formatting (prettier), so a re-run without changes leaves no diff;
 * then the profile list of docs/clients.md.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import {
  type ClientProfile,
  PROFILE_SOURCE_KINDS,
  loadProfiles,
} from '../../src/scan/clients/profile.ts';
import { writeProfileDocs } from './docs-table.ts';

export const PROFILES_FILE = fileURLToPath(
  new URL('../../src/scan/clients/profiles.json', import.meta.url),
);

/** The profiles in the file now (none when it does not exist yet). */
export async function readProfiles(): Promise<ClientProfile[]> {
  if (!existsSync(PROFILES_FILE)) return [];
  return loadProfiles(JSON.parse(await readFile(PROFILES_FILE, 'utf8'))).map((l) => l.profile);
}

/** Replaces the profiles of `kind` with `fresh` (recorded ones first), checks, writes. */
export async function writeProfiles(
  kind: ClientProfile['source']['kind'],
  fresh: readonly ClientProfile[],
): Promise<void> {
  if (fresh.some((p) => p.source.kind !== kind)) throw new TypeError(`not all ${kind} profiles`);
  const kept = (await readProfiles()).filter((p) => p.source.kind !== kind);
  const all = [...kept, ...fresh];
  const rank = (p: ClientProfile) => PROFILE_SOURCE_KINDS.indexOf(p.source.kind);
  // A stable sort: within a kind, the order each script gives.
  all.sort((a, b) => rank(a) - rank(b));
  loadProfiles(all);
  const config = (await resolveConfig(PROFILES_FILE)) ?? {};
  const text = await format(JSON.stringify(all), { ...config, filepath: PROFILES_FILE });
  await writeFile(PROFILES_FILE, text);
  await writeProfileDocs(all);
}
