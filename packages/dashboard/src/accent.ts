// A workspace's accent colour made safe to use: white text on it (buttons) and it as text on white (links) must stay
// readable, so a colour too light is darkened until it has at least 4.5:1 contrast with white (WCAG AA).

function luminance([r, g, b]: number[]): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
}

export function contrastWithWhite(rgb: number[]): number {
  return 1.05 / (luminance(rgb) + 0.05);
}

/** `#rrggbb` darkened just enough for 4.5:1 against white; undefined for anything that is not `#rrggbb`. */
export function readableAccent(color: string | null | undefined): string | undefined {
  if (!color || !/^#[0-9a-f]{6}$/i.test(color)) return undefined;
  let rgb = [1, 3, 5].map((at) => parseInt(color.slice(at, at + 2), 16));
  while (contrastWithWhite(rgb) < 4.5) rgb = rgb.map((c) => Math.floor(c * 0.92));
  return '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');
}
