// Writes packages/client/openapi.json and src/generated/api.ts from the server's route schemas (run after changing the API).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFiles } from './openapi-files.js';

const root = new URL('../', import.meta.url);
const files = await generateFiles();
for (const [path, text] of Object.entries(files) as [string, string][]) {
  const target = fileURLToPath(new URL(path, root));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  process.stdout.write(`wrote packages/client/${path}\n`);
}
