import fs from 'node:fs';
import path from 'node:path';

// The database and its backups hold the instance keys and live sessions: whoever can read them can
// mint tokens. Only the user Tessera runs as may read them. Modes are set explicitly, because mkdir
// and open filter theirs through the process umask, which Tessera does not control.
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

const octal = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/**
 * Creates folder, and any missing parent, as 0700. A folder that already exists belongs to the
 * operator and is left as it is: 0600 files are safe in a folder others may enter.
 */
export function makePrivateFolder(folder: string): void {
  const first = fs.mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (first === undefined) return;
  for (let f = path.resolve(folder); ; f = path.dirname(f)) {
    fs.chmodSync(f, PRIVATE_FOLDER_MODE);
    if (f === path.resolve(first) || f === path.dirname(f)) break;
  }
}

/**
 * Creates file empty and 0600 unless something is there already (O_EXCL: no race with another
 * process). Returns false when the file existed. SQLite then fills an empty file as a new database.
 */
export function createPrivateFile(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/**
 * Takes group and other permissions off an existing file, as an older Tessera left its database
 * (0644). Each change, or the reason it could not be made, is told to notice: an upgrade keeps
 * starting, and the operator learns that the file was exposed.
 */
export function tightenToPrivate(file: string, notice: (message: string) => void): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if ((mode & 0o077) === 0) return;
  const tight = mode & 0o700;
  try {
    fs.chmodSync(file, tight);
    notice(`${file} was readable by other users of this host (mode ${octal(mode)}); changed it to ${octal(tight)}.`);
  } catch (err) {
    notice(
      `${file} is readable by other users of this host (mode ${octal(mode)}) and Tessera could not change that ` +
        `(${(err as NodeJS.ErrnoException).code ?? 'error'}): run  chmod 600 ${file}`,
    );
  }
}
