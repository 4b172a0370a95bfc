import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { serializeOpenApi } from '../src/http/routes/meta.js';

/** The OpenAPI document exactly as the app serves it at /openapi.json. */
export async function generateOpenApi(): Promise<string> {
  const app = buildApp({ ...loadConfig({}), logLevel: 'silent' });
  await app.ready();
  const text = serializeOpenApi(app.swagger());
  await app.close();
  return text;
}
