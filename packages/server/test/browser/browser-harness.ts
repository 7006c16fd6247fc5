// What the dashboard's browser tests share: a real hookd listening on 127.0.0.1 (serving the built dashboard), Debian's
// Chromium driven by playwright-core, axe-core run inside the page, and screenshots at laptop and phone width.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

export const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const LAPTOP = { width: 1366, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface ServedApp extends TestApp {
  /** http://127.0.0.1:<port>, where the dashboard is. */
  origin: string;
}

/** A test app on an ephemeral 127.0.0.1 port (the browser needs a real socket, not inject). */
export async function startServedApp(options: TestAppOptions = {}): Promise<ServedApp> {
  const app = await startTestApp(options);
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.app.server.address() as AddressInfo;
  return Object.assign(app, { origin: `http://127.0.0.1:${port}` });
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
}

/** Problems the page reports by itself: script errors and Content-Security-Policy violations. */
export interface PageProblems {
  errors: string[];
  cspViolations: string[];
}

/** A page whose script errors and CSP violations are collected, so a test can assert there were none. */
export async function openPage(browser: Browser, viewport = LAPTOP): Promise<{ page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: PageProblems = { errors: [], cspViolations: [] };
  page.on('pageerror', (error) => problems.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text()))
      problems.cspViolations.push(message.text());
  });
  return { page, problems };
}

/**
 * axe-core's serious and critical violations on the page as it is now. The script is evaluated through the DevTools
 * protocol (the page's CSP allows no inline script, rightly), from node_modules: nothing is fetched from a CDN.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: Document) => Promise<any> } }).axe;
    const result = await axe.run(document);
    return (result.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

/** How far the page is wider than the window (0: no sideways scrolling), and the widest elements past its edge. */
async function horizontalOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const culprits = Array.from(document.querySelectorAll('body *'))
      .filter((element) => element.getBoundingClientRect().right > width)
      .slice(0, 5)
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}.${element.getAttribute('class') ?? ''} (${element.getBoundingClientRect().right}px)`,
      );
    return { overflow: document.documentElement.scrollWidth - width, culprits };
  });
}

/**
 * At laptop and at phone width: no serious accessibility violation, no sideways scrolling (a phone user would have to
 * pan to read a line), and a screenshot saved.
 */
export async function checkAndCapture(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize() ?? LAPTOP;
  for (const [label, size] of [
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    // Resizing lays the page out again before the next evaluation: the checks below see the new width.
    expect(await seriousAccessibilityViolations(page), `axe on ${name} at ${label} width`).toEqual([]);
    const { overflow, culprits } = await horizontalOverflow(page);
    expect(overflow, `${name} at ${label} width is wider than the window: ${culprits.join(', ')}`).toBeLessThanOrEqual(
      0,
    );
    await page.screenshot({ path: `${SCREENSHOTS}${name}-${label}.png`, fullPage: true });
  }
  await page.setViewportSize(before);
}

/** Logs the page in through the form, as a person does. */
export async function logIn(page: Page, origin: string, apiKey: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
}
