export {
  type CertificateFact,
  type ProfileInput,
  type SuiteFact,
  checkProfile,
} from './compliance.ts';
export {
  type CertificateType,
  type MozillaProfile,
  MOZILLA_PROFILES,
  PROFILE_NAMES,
  type ProfileData,
  type ProfileGroup,
  type ProfileName,
  type ProfileSuite,
  isProfileName,
  mozillaProfile,
} from './mozilla.ts';
export {
  DEFAULT_OPENSSL,
  type NodeTlsOptions,
  SNIPPET_ASPECTS,
  SNIPPET_PATHS,
  SNIPPET_SERVERS,
  type ServerSnippets,
  type SnippetAspect,
  type SnippetOptions,
  type SnippetServer,
  aspectSnippets,
  nodeTlsOptions,
  profileSnippets,
} from './snippets.ts';
