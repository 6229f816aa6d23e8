/** Persistent history: the node registry and the append-only transition log in SQLite. */
export {
  HistoryStore,
  type HistoryStoreOptions,
  type NodeRecord,
  type TransitionPage,
  type TransitionQuery,
  type TransitionRow,
} from './history-store.js';
export { SCHEMA_VERSION } from './schema.js';
