/**
 * What a failed file-system call says, in words an operator can act on (permission denied, no
 * space left on device …). The recording file (src/monitor/arrival-recorder.ts) and the history
 * store's database (src/store/open-error.ts) describe their failures with it.
 */

const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent is not a directory',
  EEXIST: 'a parent is not a directory',
  ENOSPC: 'no space left on device',
  EISDIR: 'is a directory',
  ENAMETOOLONG: 'path too long',
};

/** The words for a file-system error code, when it is one an operator can act on. */
export function errnoText(code: unknown): string | undefined {
  return typeof code === 'string' && Object.hasOwn(ERRNO_TEXT, code) ? ERRNO_TEXT[code] : undefined;
}

/** The `code` of a thrown error, when it has one. */
export function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** The message of a thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a failed file-system call says: the words for its code, else its message. */
export function fileErrorText(error: unknown): string {
  const code = errorCode(error);
  return errnoText(code) ?? (code === 'ENOENT' ? 'no such file or directory' : messageOf(error));
}
