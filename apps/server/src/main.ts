import { createServer, type Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { closeContext, createContext } from './context.js';
import { ensureFirstInstance, type SetupResult } from './domain/setup.js';
import { createLogger } from './logger.js';
import { openDatabase } from './storage/db.js';
import { migrate } from './storage/migrate.js';

function banner(config: Config, setup: SetupResult): string {
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
    lines.push(`  Data: ${config.dbFile} (existing; sign in as before).`);
  }
  return `${lines.join('\n')}\n\n`;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const db = openDatabase(config.dbFile);
  migrate(db);
  const setup = await ensureFirstInstance(db, config);
  const ctx = createContext(config, db, logger);
  const app = createApp(ctx);

  const server: Server = createServer(app).listen(config.port, config.host, () => {
    // The generated password goes to the terminal once, never to the structured log.
    process.stdout.write(banner(config, setup));
    logger.info({ port: config.port, host: config.host, db: config.dbFile }, 'listening');
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    server.close(() => {
      closeContext(ctx);
      db.close();
      logger.info('stopped');
      process.exit(0);
    });
    // Keep-alive connections turn idle once their in-flight response is sent: close them as they do.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    idle.unref();
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Tessera failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
