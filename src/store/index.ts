export {
  type Migration,
  type OpenOptions,
  migrate,
  openDatabase,
  storeError,
  transaction,
} from './sqlite/database.ts';
export { openCaStore } from './sqlite/ca-store.ts';
export { type SqliteAcmeStoreHandle, openAcmeStore } from './sqlite/acme-store.ts';
