/**
 * Turns the many ways opening a database can fail (a parent that is a file, a directory in
 * its place, no permission, a file that is not SQLite) into one line an operator can act on.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { StoreLockedError, StoreOpenError } from '../core/errors.js';
import { errnoText, errorCode, messageOf } from '../core/file-error-text.js';

const SQLITE_TEXT: Record<string, string> = {
  SQLITE_NOTADB: 'not a SQLite database',
  SQLITE_CORRUPT: 'database file is corrupt',
  SQLITE_READONLY: 'read-only (permission denied)',
  SQLITE_FULL: 'no space left on device',
  SQLITE_BUSY: 'locked by another process',
};

/** The StoreOpenError for a failure to open or prepare the database at `dbPath`. */
export function openError(dbPath: string, error: unknown): StoreOpenError | StoreLockedError {
  if (error instanceof StoreOpenError || error instanceof StoreLockedError) return error;
  return new StoreOpenError(dbPath, `cannot open database ${dbPath}: ${describe(dbPath, error)}`, {
    cause: error,
  });
}

function describe(dbPath: string, error: unknown): string {
  const code = errorCode(error);
  const known = code === 'SQLITE_CANTOPEN' ? undefined : codeText(code);
  if (known !== undefined) return known;
  // SQLITE_CANTOPEN says nothing about why: find out from the file system.
  const found = diagnose(dbPath);
  if (found !== undefined) return found;
  return messageOf(error);
}

/** The words for a file-system or SQLite error code, when it is one an operator can act on. */
function codeText(code: unknown): string | undefined {
  if (typeof code === 'string' && Object.hasOwn(SQLITE_TEXT, code)) return SQLITE_TEXT[code];
  return errnoText(code);
}

function diagnose(dbPath: string): string | undefined {
  try {
    if (statSync(dbPath).isDirectory()) return 'is a directory';
  } catch {
    // Does not exist yet: look at the directory it would be created in.
  }
  const dir = path.dirname(path.resolve(dbPath));
  try {
    if (!statSync(dir).isDirectory()) return 'a parent is not a directory';
    accessSync(dir, constants.W_OK);
  } catch (error) {
    return errnoText(errorCode(error)) ?? 'cannot access its directory';
  }
  return undefined;
}
