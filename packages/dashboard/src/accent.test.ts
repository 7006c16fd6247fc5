import { expect, test } from 'vitest';
import { contrastWithWhite, readableAccent } from './accent';

const rgbOf = (hex: string) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));

test('a dark enough accent is used as it is', () => {
  expect(readableAccent('#c2255c')).toBe('#c2255c');
});

test('a light accent is darkened until white text on it is readable', () => {
  const accent = readableAccent('#ffd43b')!;
  expect(accent).not.toBe('#ffd43b');
  expect(contrastWithWhite(rgbOf(accent))).toBeGreaterThanOrEqual(4.5);
  expect(readableAccent('#ffffff')).toMatch(/^#[0-9a-f]{6}$/);
});

test('anything but #rrggbb is ignored', () => {
  expect(readableAccent('red')).toBeUndefined();
  expect(readableAccent('#fff')).toBeUndefined();
  expect(readableAccent(null)).toBeUndefined();
});
