import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { curlCommand, shellQuote } from './curl';

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
