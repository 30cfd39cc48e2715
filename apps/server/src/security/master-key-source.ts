import fs from 'node:fs';
import path from 'node:path';
import { MasterKey, MasterKeyFormatError } from './envelope.js';

/** Group or others may read or write the file: its key is then as exposed as the database it guards. */
const SHARED_MODE_BITS = 0o066;

export interface MasterKeySource {
  key: MasterKey | undefined;
  /** One line per problem, in ConfigError's "VARIABLE: message" form; never the key itself. */
  problems: string[];
}

/**
 * The master key from TESSERA_MASTER_KEY (the key as text) or TESSERA_MASTER_KEY_FILE (a file
 * holding it, readable by the server's user only), never both. Neither: no master key, and the
 * instance keys stay in the database as they are. (names: the same pair for a new master key.)
 */
export function readMasterKey(
  inline: string | undefined,
  file: string | undefined,
  names: { inline: string; file: string } = { inline: 'TESSERA_MASTER_KEY', file: 'TESSERA_MASTER_KEY_FILE' },
): MasterKeySource {
  if (inline !== undefined && file !== undefined) {
    return { key: undefined, problems: [`${names.inline}: set ${names.inline} or ${names.file}, not both`] };
  }
  if (inline !== undefined) return parse(names.inline, inline);
  if (file === undefined) return { key: undefined, problems: [] };

  const where = path.resolve(file);
  const fail = (why: string): MasterKeySource => ({ key: undefined, problems: [`${names.file}: ${where} ${why}`] });
  let stat: fs.Stats;
  try {
    stat = fs.statSync(where);
  } catch {
    return fail('does not exist or cannot be read');
  }
  if (!stat.isFile()) return fail('is not a file');
  if (process.platform !== 'win32' && (stat.mode & SHARED_MODE_BITS) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
    return fail(`may be read or written by group or others (mode ${mode}): make it readable by Tessera's user only (chmod 600)`);
  }
  let text: string;
  try {
    text = fs.readFileSync(where, 'utf8');
  } catch {
    return fail('cannot be read');
  }
  return parse(names.file, text, `${where} `);
}

function parse(variable: string, text: string, subject = ''): MasterKeySource {
  try {
    return { key: MasterKey.parse(text), problems: [] };
  } catch (err) {
    if (err instanceof MasterKeyFormatError) return { key: undefined, problems: [`${variable}: ${subject}${err.message}`] };
    throw err;
  }
}
