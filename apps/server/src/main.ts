import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { serve } from './serve.js';
import { runPrimary } from './workers/primary.js';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

const config = configOrExit();
const logger = createLogger(config.logLevel);
const start = config.workers > 1 && cluster.isPrimary ? runPrimary(config, logger) : serve(config, logger);
start.catch((err: unknown) => {
  process.stderr.write(`Tessera failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
