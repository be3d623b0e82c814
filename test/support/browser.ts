/**
 * Debian's Chromium (/usr/bin/chromium, installed by scripts/setup.sh test)
 * driven by playwright-core, which downloads no browser of its own. One
 * browser per test file (`useBrowser()` in a describe), headless and kept off
 * the network: every host name except 127.0.0.1 resolves to nothing, and the
 * browser's own background traffic (updates, metrics, safe browsing, sync) is
 * switched off. Pages record every request that left loopback, so a test can
 * assert there was none.
 */
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserServer, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export const CHROMIUM = "/usr/bin/chromium";
/**
 * Where screenshots go: docs/screenshots/ (committed) with GITCREW_SCREENSHOTS=1,
 * else a temporary folder, so that `npm test` does not rewrite committed images
 * (run ids and times change on every run). They are taken either way.
 */
export const SCREENSHOTS = process.env.GITCREW_SCREENSHOTS === "1" ? join(import.meta.dirname, "..", "..", "docs", "screenshots") : join(tmpdir(), "gitcrew-screenshots");
/** Screenshots are committed: one small size for all of them. */
export const VIEWPORT = { width: 1280, height: 800 };

const OFFLINE_FLAGS = [
  // Only loopback resolves: a request to any other host fails at once instead of leaving the machine.
  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-default-apps",
  "--disable-domain-reliability",
  "--disable-sync",
  "--disable-client-side-phishing-detection",
  "--disable-breakpad",
  "--metrics-recording-only",
  "--no-pings",
  "--no-first-run",
  "--no-default-browser-check",
  "--safebrowsing-disable-auto-update",
  "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
  // /dev/shm in containers is small; Chromium then crashes on large pages.
  "--disable-dev-shm-usage",
];

export interface TestBrowser {
  /** A fresh context (own cookies) with a page that records off-loopback requests in `offLoopback`. */
  open(): Promise<{ context: BrowserContext; page: Page; offLoopback: string[] }>;
}

/** Starts Chromium once before the file's tests and stops it after them. */
export function useBrowser(): TestBrowser {
  let server: BrowserServer | undefined;
  let starting: Promise<Browser> | undefined;
  const contexts: BrowserContext[] = [];
  const launch = async (): Promise<Browser> => {
    if (!existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}: the browser tests need Debian's chromium; run scripts/setup.sh test (as root) or apt-get install chromium`);
    server = await chromium.launchServer({
      executablePath: CHROMIUM,
      headless: true,
      // Chromium's sandbox needs user namespaces that root in a container does not get;
      // as root (CI runs as root) it refuses to start without --no-sandbox. The pages
      // it loads are our own dashboard on loopback.
      chromiumSandbox: process.getuid?.() !== 0,
      args: OFFLINE_FLAGS,
    });
    return chromium.connect(server.wsEndpoint());
  };
  // Started, not awaited: the browser comes up while the file's own beforeAll starts its server.
  beforeAll(() => {
    starting = launch();
    starting.catch(() => {});
  });
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
    const browser = await starting?.catch(() => undefined);
    await browser?.close().catch(() => {});
    await stopServer(server);
  }, 30_000);
  return {
    async open() {
      if (!starting) throw new Error("useBrowser(): the browser has not started (call open() inside a test or a later beforeAll)");
      const browser = await starting;
      const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
      contexts.push(context);
      const offLoopback: string[] = [];
      context.on("request", (req) => {
        const url = new URL(req.url());
        if (!["http:", "https:", "ws:", "wss:"].includes(url.protocol)) return;
        if (url.hostname !== "127.0.0.1") offLoopback.push(req.url());
      });
      const page = await context.newPage();
      return { context, page, offLoopback };
    },
  };
}

/** Closes the browser, then makes sure its process (by pid, never by name) is gone. */
async function stopServer(server: BrowserServer | undefined): Promise<void> {
  if (!server) return;
  const pid = server.process().pid;
  await server.close().catch(() => {});
  if (pid !== undefined && alive(pid)) {
    await server.kill().catch(() => {});
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Writes a screenshot of the page to SCREENSHOTS/<name>.png (the viewport only, to keep it small). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false, animations: "disabled" });
}
