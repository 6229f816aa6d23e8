/**
 * The key file: the keys of a monitor's or an agent's keyring (`--key-file FILE`,
 * `HEARTBEAT_KEY_FILE`; never a key on the command line, where `ps` shows it). One key a line:
 *
 *   # ID  SECRET                                          OPTIONS
 *   1     base64:q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWc=  primary
 *   2     hex:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
 *   9     base64:…                                        node=db-1 primary
 *
 * - ID: 0 … 255, the byte authenticated messages name their key by.
 * - SECRET: `base64:` or `hex:` and 16 to 64 bytes (32 recommended: `openssl rand -base64 32`).
 * - `primary`: senders sign with this key (one per scope: the shared keys, or one node's).
 * - `node=ID`: the key is bound to that node: only its messages are accepted under it, and a node
 *   with keys of its own is accepted only under them.
 * - `#` starts a comment; blank lines are skipped.
 *
 * The file must be private: a file that its group or others may read or write is refused (a
 * ConfigError saying `chmod 600`), as ssh refuses a readable private key. docs/CONFIG.md, "Keys".
 */
import { ConfigError } from '../core/errors.js';
import { Keyring, type KeySpec } from '../protocol/keyring.js';
import { readPrivateFile } from './private-file.js';

/** The environment variable naming the key file when no flag does. */
export const ENV_KEY_FILE = 'HEARTBEAT_KEY_FILE';

/** Reads, checks (private, small: private-file.ts) and parses a key file. Throws ConfigError with one line naming the file. */
export function readKeyFile(file: string): KeySpec[] {
  return parseKeyFile(readPrivateFile(file, 'key file'), `key file ${file}`);
}

/** Parses the text of a key file (at least one key); `source` names it in errors. */
export function parseKeyFile(text: string, source: string): KeySpec[] {
  const specs: KeySpec[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fields = (lines[i] as string).replace(/#.*/, '').trim().split(/\s+/);
    if (fields[0] === '') continue;
    const at = `${source} line ${i + 1}`;
    const [idText, secretText, ...options] = fields as [string, string | undefined, ...string[]];
    if (!/^\d{1,3}$/.test(idText) || Number(idText) > 255) {
      throw new ConfigError(
        `${at}: a key id is a number from 0 to 255, got ${JSON.stringify(idText)}`,
      );
    }
    if (secretText === undefined) {
      throw new ConfigError(`${at}: key ${idText} has no secret (base64:… or hex:…)`);
    }
    const spec: KeySpec = { id: Number(idText), secret: secretOf(secretText, at) };
    for (const option of options) {
      if (option === 'primary') spec.primary = true;
      else if (option.startsWith('node=') && option.length > 'node='.length) {
        spec.node = option.slice('node='.length);
      } else {
        throw new ConfigError(
          `${at}: unknown option ${JSON.stringify(option)} (options are primary and node=ID)`,
        );
      }
    }
    specs.push(spec);
  }
  if (specs.length === 0) {
    // An empty file would turn authentication off while the operator believes it on.
    throw new ConfigError(`${source} holds no key`);
  }
  try {
    // The keyring's checks (secret length, repeated ids, two primaries), here with the file's name.
    new Keyring(specs);
  } catch (error) {
    throw new ConfigError(`${source}: ${(error as Error).message}`, { cause: error });
  }
  return specs;
}

/** A `base64:…` or `hex:…` secret as bytes; refuses anything that does not read back exactly. */
function secretOf(text: string, at: string): Buffer {
  const colon = text.indexOf(':');
  const encoding = text.slice(0, colon);
  const body = text.slice(colon + 1);
  if (encoding === 'hex' && /^([0-9a-fA-F]{2})+$/.test(body)) return Buffer.from(body, 'hex');
  if (encoding === 'base64') {
    const bytes = Buffer.from(body, 'base64');
    if (bytes.length > 0 && bytes.toString('base64') === body) return bytes;
  }
  throw new ConfigError(
    `${at}: a secret is base64:… (padded) or hex:… (an even number of digits); this one is neither`,
  );
}
