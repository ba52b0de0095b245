export { simulateClients, type SimulationOptions } from './simulate.ts';
export { loadClientProfiles } from './load.ts';
export {
  type ClientConstraints,
  type ClientOffers,
  type ClientProfile,
  type LoadedProfile,
  type ProfileSource,
  loadProfiles,
} from './profile.ts';
export type { ClientResult, ClientSimulationFacts } from './result.ts';
export { ClientSimulationCheck, type ClientJob } from './client-check.ts';
export { FRESH_MATERIAL, type HelloMaterial, replayHello } from './replay.ts';
