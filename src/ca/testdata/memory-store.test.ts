import { memoryCaStore } from './memory-store.ts';
import { storeConformance } from './store-conformance.ts';

storeConformance('memory store', memoryCaStore);
