import { type LoadedProfile, loadProfiles } from './profile.ts';

let cached: Promise<readonly LoadedProfile[]> | undefined;

/**
 * The profiles of profiles.json, checked and decoded once per process. The file is large
 * and only this check reads it, so it is imported on first use (the CLI bundle keeps it in
 * a chunk of its own). A bad file rejects with WT_ERR_SCAN_CLIENT_PROFILE.
 */
export function loadClientProfiles(): Promise<readonly LoadedProfile[]> {
  cached ??= import('./profiles.json', { with: { type: 'json' } }).then((m) =>
    loadProfiles(m.default),
  );
  return cached;
}
