// The text of `hookd --help`.
import { describeSettings } from '../config/load-config.js';

export function helpText(version: string): string {
  return `hookd ${version}: self-hosted webhook delivery

Usage: hookd <command> [options]

Commands:
  serve                 run the API and the delivery worker on 127.0.0.1:8080 (data in ./data/hookd.db)
  worker                run deliveries only (same as serve --no-api)
  migrate               apply database migrations and exit
  keys create           issue an API key and print it once
                          --workspace <name|id>  (default: default)  --name <label>  --admin

Settings (a flag wins over its environment variable):
${describeSettings()}

  --help                this text
  --version             print the version
`;
}
