/**
 * Turns the many ways opening a database can fail (a parent that is a file, a directory in
 * its place, no permission, a file that is not SQLite) into one line an operator can act on.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { StoreLockedError, StoreOpenError } from '../core/errors.js';

const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent is not a directory',
  EEXIST: 'a parent is not a directory',
  ENOSPC: 'no space left on device',
  EISDIR: 'is a directory',
  ENAMETOOLONG: 'path too long',
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

/**
 * What a failed file-system call says, in words an operator acts on: the text for its code, else
 * its message (for the recording file, src/monitor/arrival-recorder.ts, as for the database).
 */
export function fileErrorText(error: unknown): string {
  const code = errorCode(error);
  return codeText(code) ?? (code === 'ENOENT' ? 'no such file or directory' : messageOf(error));
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

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** The words for an error code, when it is one an operator can act on. */
function codeText(code: unknown): string | undefined {
  return typeof code === 'string' && Object.hasOwn(ERRNO_TEXT, code) ? ERRNO_TEXT[code] : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
    const code = (error as { code?: string }).code;
    return (code !== undefined ? ERRNO_TEXT[code] : undefined) ?? 'cannot access its directory';
  }
  return undefined;
}
