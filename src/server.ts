import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { warmFigures } from './http/figures.js';
import { shutdown } from './lifecycle.js';

function readConfig(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`peft-lab: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
const app = buildApp(config);

closeWithGrace({ delay: config.shutdownGraceMs, logger: false }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an uncaught error');
  else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  await shutdown(app);
});

// Not fatal: a figure that fails here is drawn (or fails) on its first request instead.
await warmFigures().catch((err: unknown) => app.log.error({ err }, 'figures not drawn in advance'));

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  app.log.fatal({ err: error }, 'could not start');
  process.exit(1);
}
