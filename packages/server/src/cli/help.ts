// The text of `hookd --help`.
import { describeSettings } from '../config/load-config.js';
import { apiCommandsHelp } from './api-help.js';

export function helpText(version: string): string {
  return `hookd ${version}: self-hosted webhook delivery

Usage: hookd <command> [options]

Commands:
  serve                 run the API and the delivery worker on 127.0.0.1:8080 (data in ./data/hookd.db)
  worker                run deliveries only (same as serve --no-api)
  migrate               apply database migrations and exit
  keys create           issue an API key and print it once
                          --workspace <name|id>  (default: default)  --name <label>  --admin
  keys list             a workspace's API keys (never the keys): --workspace <name|id>  (default: default)
  keys revoke <key id>  revoke an API key of any workspace; it is refused from then on
  encryption rotate     re-encrypt every stored webhook secret and header value with --encryption-key, while
                          --encryption-old-key still decrypts; then the old keys can go (safe to run twice, or
                          while hookd runs)
  listen                a local receiver that verifies and prints every delivery (needs no database):
                          hookd listen [--port 3000] [--host 127.0.0.1] [--secret S]
                            [--scheme standard|timestamp-nonce|body] [--header-prefix X-Webhook-] [--status N]
                          the secret may come from env HOOKD_LISTEN_SECRET instead: a secret given as --secret
                          shows in the process list (ps) to everyone on the machine
                          answers 200 to a verified delivery and 401, naming the reason, to one that fails;
                          without a secret it prints every delivery as unverified and answers 200;
                          --status N answers N to every delivery (500 to watch hookd retry, 410 to disable)

${apiCommandsHelp()}

Settings of serve, worker, migrate, keys and encryption (a flag wins over its environment variable):
${describeSettings()}

  --help                this text
  --version             print the version
`;
}
