/** Persistent history: the store contract, and the SQLite store (the embedded default). */
export type * from './history-store.js';
export { MemoryHistoryStore } from './memory-store.js';
export { SqliteHistoryStore, type SqliteStoreOptions } from './sqlite-store.js';
export { SCHEMA_VERSION } from './schema.js';
