import { MemoryAcmeStore } from './testdata/memory-store.ts';
import { storeContract } from './testdata/store-contract.ts';

storeContract('memory store', () => new MemoryAcmeStore());
