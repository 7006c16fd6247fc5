// What a slip at the command line gets (a "did you mean" naming the nearest command or flag, exit code 2), JSON input
// errors, the help of the new commands, and `hookd listen` taking its secret from HOOKD_LISTEN_SECRET.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLine, startCliServer, type CliServer } from './support/cli-server.js';
import { Hookd, killAllHookd } from './support/hookd-process.js';

let hookd: CliServer;
beforeAll(async () => {
  hookd = await startCliServer();
});
afterAll(async () => {
  await killAllHookd();
  await hookd.close();
});

describe.concurrent('a mistyped command or flag', { timeout: 30_000 }, () => {
  it.each([
    [['webhoks', 'list'], 'unknown command "webhoks" (did you mean webhooks?)'],
    [['event-type', 'list'], 'unknown command "event-type" (did you mean event-types?)'],
    [['webhooks', 'lsit'], 'unknown command "webhooks lsit" (did you mean "hookd webhooks list"?)'],
    [['deliveries', 'atempts', 'dlv_x'], '(did you mean "hookd deliveries attempts"?)'],
    [
      ['webhooks', 'create', 'https://example.com/h', '--evnets', 'a.b'],
      'unknown flag --evnets (did you mean --events?)',
    ],
    [['publish', 'a.b', '--dat', '{}'], 'unknown flag --dat (did you mean --data?)'],
    [['events', 'list', '--limt', '5'], 'unknown flag --limt (did you mean --limit?)'],
    [['serve', '--alow-network', '10.0.0.0/8'], 'unknown flag --alow-network (did you mean --allow-network?)'],
    [['listen', '--secert', 'x'], 'unknown flag --secert (did you mean --secret?)'],
    [['keys', 'craete'], 'unknown command "keys craete" (did you mean "hookd keys create"?)'],
    [['keys', 'revkoe', 'key_x'], 'unknown command "keys revkoe" (did you mean "hookd keys revoke"?)'],
    [['keys', 'create', '--worksapce', 'w'], 'unknown flag --worksapce (did you mean --workspace?)'],
    [['encryption', 'rotat'], 'unknown command "encryption rotat" (did you mean "hookd encryption rotate"?)'],
    [
      ['encryption', 'rotate', '--encryption-kye', 'x'],
      'unknown flag --encryption-kye (did you mean --encryption-key?)',
    ],
    [['keys', 'zzzzzzzz'], 'unknown command "keys zzzzzzzz"'],
    [['webhooks', 'list', '--zzzzzzzz'], 'unknown flag --zzzzzzzz'],
  ])('hookd %j exits 2 saying %s', async (args, message) => {
    const run = await hookd.run(args);
    expect(run.code, run.stderr).toBe(2);
    expect(oneLine(run.stderr)).toContain(message);
    if (!message.includes('did you mean')) expect(run.stderr).not.toContain('did you mean');
  });
});

describe.concurrent('JSON from a file or stdin, refused', { timeout: 30_000 }, () => {
  it.each([
    [['publish', 'a.b', '--data', '@missing.json'], {}, '--data: cannot read missing.json (ENOENT)'],
    [['publish', 'a.b', '--data', '-'], { stdin: '{"a": ' }, '--data: not valid JSON in stdin'],
    [
      ['webhooks', 'update', 'wh_x', '--data', '-', '--filter', '-'],
      { stdin: '{}' },
      '--filter: stdin is already read by --data',
    ],
    [['webhooks', 'update', 'wh_x', '--data', '[1]'], {}, '--data: must be a JSON object'],
    [['webhooks', 'update', 'wh_x'], {}, 'nothing to change'],
  ])('hookd %j exits 2 saying so', async (args, options, message) => {
    const run = await hookd.run(args, options);
    expect(run.code, run.stderr).toBe(2);
    expect(oneLine(run.stderr)).toContain(message);
  });
});

describe('help', { timeout: 30_000 }, () => {
  it('hookd --help and each group --help list every new subcommand and the @file / stdin forms', async () => {
    const main = await hookd.run(['--help'], { env: {} });
    expect(main.code, main.stderr).toBe(0);
    for (const line of [
      'webhooks get ID',
      'webhooks update ID',
      'webhooks pause ID',
      'webhooks resume ID',
      'webhooks rotate-secret ID',
      'webhooks test ID',
      'deliveries get ID',
      'deliveries attempts ID',
      'deliveries redeliver-failed --webhook ID',
      'events list',
      'events get ID',
      'event-types list',
      'event-types create NAME',
      'event-types delete NAME',
      '@file.json',
      'HOOKD_LISTEN_SECRET',
    ])
      expect(main.stdout).toContain(line);
    expect(main.stdout).toMatch(/shows in the process list \(ps\)/);
    for (const [group, expected] of [
      ['events', 'events get ID'],
      ['event-types', 'event-types create NAME'],
    ]) {
      const run = await hookd.run([group!, '--help'], { env: {} });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(expected);
      expect(run.stdout).toContain('HOOKD_API_KEY');
    }
  });
});

describe('hookd listen with HOOKD_LISTEN_SECRET', { timeout: 60_000 }, () => {
  async function listen(env: Record<string, string>): Promise<{ child: Hookd; url: string }> {
    const child = new Hookd(['listen', '--port', '0'], { cwd: hookd.tempDir(), env });
    const url = await child.waitFor('the listening line', () => /receiving on (\S+) /.exec(child.stdout)?.[1]);
    return { child, url };
  }

  it('verifies with the secret from the environment, and refuses a delivery signed with another', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 3).toString('base64');
    const right = await listen({ HOOKD_LISTEN_SECRET: secret });
    expect(right.child.stdout).toContain('verifying standard signatures');
    const wrong = await listen({ HOOKD_LISTEN_SECRET: 'whsec_' + Buffer.alloc(32, 4).toString('base64') });
    for (const { url } of [right, wrong])
      expect((await hookd.run(['webhooks', 'create', url, '--secret', secret, '--events', 'env.*'])).code).toBe(0);

    const event = await hookd.runJson(['publish', 'env.checked']);
    const ok = new RegExp(`^\\S+Z {2}env\\.checked {2}${event.id} {2}ok {2}→ 200$`, 'm');
    expect(await right.child.waitFor('the verified delivery', () => ok.exec(right.child.stdout)?.[0])).toBeTruthy();
    const refused = new RegExp(`^\\S+Z {2}env\\.checked {2}${event.id} {2}bad_signature: .* {2}→ 401$`, 'm');
    expect(await wrong.child.waitFor('the refused delivery', () => refused.exec(wrong.child.stdout)?.[0])).toBeTruthy();
  });

  it('an empty HOOKD_LISTEN_SECRET is a usage error, not a receiver that verifies nothing', async () => {
    const empty = new Hookd(['listen', '--port', '0'], { cwd: hookd.tempDir(), env: { HOOKD_LISTEN_SECRET: ' ' } });
    expect((await empty.waitForExit()).code).toBe(2);
    expect(oneLine(empty.stderr)).toContain('HOOKD_LISTEN_SECRET: must not be empty');
  });
});
