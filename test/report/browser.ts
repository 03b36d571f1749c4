import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's chromium, which the browser tests drive (`.ci/run` installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** True when the browser tests can run here. */
export const HAS_CHROMIUM = existsSync(CHROMIUM);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** A page opened from disk with every request but the file itself refused, and what it tried. */
export interface OfflinePage {
  readonly page: Page;
  /** Every URL the page requested other than the file (all refused). */
  readonly refused: string[];
  /** Requests that failed to load. */
  readonly failed: string[];
  /** Console errors and uncaught page errors. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Opens an HTML file in headless Chromium with a fresh profile and the network closed. */
export async function openOffline(file: string, viewport = { width: 1280, height: 900 }): Promise<OfflinePage> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport, offline: true });
  const url = pathToFileURL(file).href;
  const refused: string[] = [];
  const failed: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : (refused.push(route.request().url()), route.abort('blockedbyclient'))));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  return {
    page,
    refused,
    failed,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

