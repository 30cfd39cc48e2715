import type { Config } from './config.js';
import type { SetupResult } from './domain/setup.js';

/** What the terminal shows once Tessera serves: where to open it, and on a first start how to sign in. */
export function banner(config: Config, setup: SetupResult): string {
  const lines = ['', `  Tessera is running: open ${config.issuer}/ in your browser.`];
  if (setup.created) {
    lines.push(`  First start: created organization "${setup.orgName}" and its administrator.`);
    lines.push(`    Username: ${setup.adminUsername}`);
    lines.push(
      setup.generatedPassword
        ? `    Password: ${setup.generatedPassword}   (generated; shown only now, so keep it)`
        : '    Password: the value of TESSERA_ADMIN_PASSWORD',
    );
  } else {
    lines.push(`  Data: ${dataLocation(config)} (existing; sign in as before).`);
  }
  if (config.workers > 1) lines.push(`  Workers: ${config.workers} processes share the port (TESSERA_WORKERS; 1 turns them off).`);
  return `${lines.join('\n')}\n\n`;
}

/** Where the data lives: the SQLite file, or the PostgreSQL URL without its password. */
export function dataLocation(config: Config): string {
  if (!config.databaseUrl) return config.dbFile;
  try {
    const url = new URL(config.databaseUrl);
    url.password = '';
    url.search = ''; // may carry a password too (?password=...)
    return url.toString();
  } catch {
    return 'PostgreSQL (TESSERA_DATABASE_URL)';
  }
}

export function listenProblem(config: Config, err: NodeJS.ErrnoException, firstStart: boolean): string {
  const where = `${config.host}:${config.port}`;
  const why =
    err.code === 'EADDRINUSE'
      ? `${where} is already in use; stop what listens there or set PORT`
      : err.code === 'EACCES'
        ? `not allowed to listen on ${where}; choose a PORT above 1023`
        : `cannot listen on ${where}: ${err.message}`;
  return firstStart ? `${why}. No administrator was created: the next start creates one and shows how to sign in.` : `${why}.`;
}
