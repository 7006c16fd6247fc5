import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { curlCommand, maskedHeaders, shellQuote, variableFor } from './curl';

test('a quoted word reaches the program byte for byte, whatever it holds', () => {
  const text = `it's "quoted" $HOME \`id\` \\ ; & | \n end`;
  expect(execFileSync('bash', ['-c', `printf %s ${shellQuote(text)}`], { encoding: 'utf8' })).toBe(text);
});

test('the command sends the recorded headers (not the ones curl computes) and the body as it is', () => {
  const command = curlCommand('https://example.com/h', { 'Content-Length': '2', 'webhook-id': 'msg_1' }, '{}');
  expect(command).toContain(`-H 'webhook-id: msg_1'`);
  expect(command).not.toContain('Content-Length');
  expect(command).toContain(`--data-binary '{}'`);
});

test("a masked header's value comes from a variable the person sets, and the command refuses to run without it", () => {
  const headers = { 'webhook-id': 'msg_1', Authorization: '[redacted]', 'X-Api-Key': '[redacted]' };
  expect(maskedHeaders(headers)).toEqual(['Authorization', 'X-Api-Key']);
  expect(variableFor('X-Api-Key')).toBe('X_API_KEY');
  // curl replaced by a printer of its arguments: what curl would have been given, one per line.
  const command = curlCommand('https://example.com/h', headers, '{}').replace(/^curl/, "printf '%s\\n'");
  const run = (env: Record<string, string>) =>
    execFileSync('bash', ['-c', command], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  expect(run({ AUTHORIZATION: 'Bearer it$s `x`', X_API_KEY: 'k' }).split('\n')).toEqual(
    expect.arrayContaining(['Authorization: Bearer it$s `x`', 'X-Api-Key: k', 'webhook-id: msg_1']),
  );
  expect(() => run({ X_API_KEY: 'k' })).toThrow(/AUTHORIZATION: set AUTHORIZATION to the header value/);
});
