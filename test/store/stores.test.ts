/** Every history store passes the contract of test/store/compliance.ts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { HistoryStore } from '../../src/store/history-store.js';
import { MemoryHistoryStore } from '../../src/store/memory-store.js';
import { SqliteHistoryStore } from '../../src/store/sqlite-store.js';
import { historyStoreCompliance } from './compliance.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hb-stores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

historyStoreCompliance('SqliteHistoryStore', {
  fresh: () => SqliteHistoryStore.open(path.join(dir, `store-${files++}.db`)),
  restart: (store: HistoryStore) => {
    store.close();
    return SqliteHistoryStore.open(store.location);
  },
});

historyStoreCompliance('MemoryHistoryStore', {
  fresh: () => new MemoryHistoryStore(),
  restart: (store: HistoryStore) => {
    store.close();
    return (store as MemoryHistoryStore).reopen();
  },
});
