/**
 * Headless Chromium (Debian's `chromium` package) through playwright-core: prints the poster to a one-page A0 PDF
 * and takes screenshots of the pages. When no Chromium is installed, callers skip these outputs and say so.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';

/** Where Debian's package puts it; MEDREX_CHROMIUM overrides. */
export function chromiumPath(): string | null {
  const candidates = [process.env.MEDREX_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => Boolean(p) && existsSync(p!)) ?? null;
}

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface RenderJob {
  /** HTML file to open. */
  html: string;
  /** Write a PDF of this page, A0 portrait, one page. */
  pdf?: string;
  /** Write a full-page PNG screenshot. */
  screenshot?: string;
  /** Viewport width for the screenshot, CSS px. */
  width?: number;
  /** Device scale factor for the screenshot (below 1 for a small preview of a big page). */
  scale?: number;
}

/** Render the jobs in one browser session. Throws when Chromium cannot be started. */
export async function renderWithChromium(executablePath: string, jobs: readonly RenderJob[]): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS });
  try {
    for (const job of jobs) {
      const context = await browser.newContext({
        viewport: { width: job.width ?? 1100, height: 800 },
        deviceScaleFactor: job.scale ?? 1,
        // The pages are self-contained; block any request so a stray URL can never reach the network.
        offline: true,
      });
      const page = await context.newPage();
      await page.goto(pathToFileURL(job.html).href, { waitUntil: 'load' });
      if (job.pdf) await shrinkToFit(page);
      if (job.screenshot) await page.screenshot({ path: job.screenshot, fullPage: true });
      if (job.pdf) {
        await page.pdf({ path: job.pdf, width: '841mm', height: '1189mm', printBackground: true, pageRanges: '1', preferCSSPageSize: true });
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

/**
 * A poster must stay one page: when its `<main>` runs past the bottom of the fixed-height body (many
 * configurations, long type lists), zoom `<main>` down until it fits above the footer. Chromium would otherwise
 * move the overflowing part to a second page, which the one-page PDF leaves out.
 */
async function shrinkToFit(page: Page): Promise<void> {
  await page.evaluate(() => {
    const main = document.querySelector('main');
    if (!main) return;
    const footer = document.querySelector('footer');
    const bottom = document.body.clientHeight - (footer ? footer.getBoundingClientRect().height + 24 : 0);
    const rect = main.getBoundingClientRect();
    const available = bottom - rect.top;
    if (rect.height > available) main.style.zoom = String((available / rect.height) * 0.99);
  });
}
