export * from './versions.ts';
export * from './cipher-suites.ts';
export * from './groups.ts';
export * from './signature-schemes.ts';
export * from './extension-types.ts';
export * from './alerts.ts';
