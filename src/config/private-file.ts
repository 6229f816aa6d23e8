/**
 * Reading a file that holds secrets (API tokens, keys): it must be a regular file that neither
 * its group nor others may read or write, as ssh refuses a readable private key, and small. Every
 * refusal is a ConfigError of one line naming the file and what to do (`chmod 600 FILE`).
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import { fileErrorText } from '../core/file-error-text.js';

/** Permission bits of the group and others: none may be set on a file of secrets. */
const NOT_PRIVATE = 0o077;

/** A file of secrets holds a few lines; a larger one is not one. */
export const MAX_PRIVATE_FILE_BYTES = 1024 * 1024;

/** The text of `file`, a private file; `what` names it in errors (`token file`, `key file`). */
export function readPrivateFile(file: string, what: string): string {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new ConfigError(`${what} ${file} is not a regular file`);
    if ((stat.mode & NOT_PRIVATE) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new ConfigError(
        `${what} ${file} may be read or written by its group or others (mode ${mode}); make it private: chmod 600 ${file}`,
      );
    }
    if (stat.size > MAX_PRIVATE_FILE_BYTES) {
      throw new ConfigError(`${what} ${file} is over ${MAX_PRIVATE_FILE_BYTES} bytes`);
    }
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read ${what} ${file}: ${fileErrorText(error)}`, {
      cause: error,
    });
  }
}
