import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

export const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

/** Counts steps, prints each, and fails a step on any console error the browser reported during it. */
export class Run {
  passed = 0;
  failed = 0;
  readonly failures: string[] = [];

  async step(name: string, browser: Browser | null, fn: () => Promise<void>): Promise<void> {
    const started = Date.now();
    browser?.takeErrors();
    try {
      await fn();
      const errors = browser?.takeErrors() ?? [];
      if (errors.length) throw new Error(`console errors:\n      ${errors.join('\n      ')}`);
      this.passed++;
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      this.failed++;
      const message = err instanceof Error ? err.message.split('\n').slice(0, 8).join('\n    ') : String(err);
      this.failures.push(`${name}: ${message}`);
      console.log(`  ✗ ${name} (${Date.now() - started} ms)\n    ${message}`);
      if (browser) await browser.shot(`FAILED-${name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
      throw new FlowAborted(name);
    }
  }
}

export class FlowAborted extends Error {}

/** One browser context (a width) with its page, console error log and screenshots. */
export class Browser {
  private errors: string[] = [];
  /** API requests in flight, to know when a page has all its data. */
  inflight = 0;
  lastApiActivity = Date.now();
  /** When each API request of the current page started and ended (for timing reports). */
  apiLog: { url: string; start: number; end?: number }[] = [];

  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
    readonly label: string,
  ) {
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.errors.push(msg.text());
    });
    page.on('pageerror', (err) => this.errors.push(`page error: ${err.message}`));
    page.on('request', (req) => {
      if (req.url().includes('/api/')) {
        this.inflight++;
        this.lastApiActivity = Date.now();
        this.apiLog.push({ url: req.url(), start: Date.now() });
      }
    });
    const done = (req: { url(): string }) => {
      if (req.url().includes('/api/')) {
        this.inflight = Math.max(0, this.inflight - 1);
        this.lastApiActivity = Date.now();
        const entry = this.apiLog.find((e) => e.url === req.url() && e.end === undefined);
        if (entry) entry.end = Date.now();
      }
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
  }

  takeErrors(): string[] {
    const e = this.errors;
    this.errors = [];
    return e;
  }

  async goto(pathname: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}${pathname}`, { waitUntil: 'domcontentloaded' });
  }

  async shot(name: string, fullPage = true): Promise<void> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `${this.label}-${name}.png`), fullPage });
  }

  /** Resolves when no API request has been in flight for `quietMs`; returns when the last one ended. */
  async apiIdle(quietMs = 120, timeoutMs = 10_000): Promise<number> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (this.inflight === 0 && Date.now() - this.lastApiActivity >= quietMs) return this.lastApiActivity;
      if (Date.now() > until) throw new Error(`API requests still running after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The page must not scroll sideways (phone width): wide tables scroll inside their own box. */
  async assertNoHorizontalScroll(): Promise<void> {
    const [scroll, client] = (await this.page.evaluate(
      '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
    )) as [number, number];
    if (scroll > client + 1) throw new Error(`the page is ${scroll}px wide at a ${client}px viewport`);
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
