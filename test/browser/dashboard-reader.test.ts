/**
 * The dashboard's refusals in Debian's Chromium against a real `gitcrew
 * serve` and the GitHub double, on a private repository: a person with read
 * access sees the run but its Cancel button is disabled and says why, and a
 * forged POST from the page (with or without the session's CSRF token) gets
 * 403 and leaves the run running; a person without access sees neither the
 * run nor its page; a signed-out visitor to a run's address is sent through
 * GitHub and back to that same run. The browser itself cannot leave
 * loopback (test/support/browser.ts), and none of these pages tried to.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot, useBrowser } from "../support/browser.js";
import { agent, startDashboardServer, textOf, type DashboardServer } from "../support/dashboard-server.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { until } from "../support/server-harness.js";

describe("dashboard in a browser: readers, outsiders and signed-out visitors", () => {
  const browser = useBrowser();
  let s: DashboardServer;
  let run = { runId: "", issue: 0 };
  const offLoopback: string[][] = [];

  const open = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const o = await browser.open();
    offLoopback.push(o.offLoopback);
    return o;
  };
  const runHash = (id: string) => `#/runs/${encodeURIComponent(id)}`;

  beforeAll(async () => {
    await requireDockerAndImage();
    s = await startDashboardServer(agent("dev", "echo 'dev: readers may look'; sleep 300"), { private: true });
    run = await s.mention("alice", "@dev please look");
    await until("the run to start", async () => (await s.run(run.runId))?.status === "running", 2400);
  }, 600_000);

  afterAll(async () => {
    if (s && run.runId) await s.api(`/api/runs/${encodeURIComponent(run.runId)}/cancel`, { method: "POST" }).catch(() => undefined);
    s?.gh.double.assertNoViolations();
    await s?.stop();
  });

  it("a reader sees the run, its Cancel button is disabled and says why; a forged cancel gets 403 and the run goes on", async () => {
    const { context, page } = await open();
    await s.signIn(context, page, "rita", "read");
    await page.goto(`${s.url}/${runHash(run.runId)}`);
    await textOf(page.locator("pre[data-testid=log]"), /dev: readers may look/, 60_000);
    const cancel = page.getByRole("button", { name: "Cancel" });
    await cancel.waitFor();
    expect(await cancel.isDisabled()).toBe(true);
    expect(await cancel.getAttribute("title")).toMatch(/write access/);
    await screenshot(page, "run-reader");

    // What a script in the page (or a forged form) could send: the session's own CSRF token, then none.
    const forged = await page.evaluate(async (path) => {
      const session = (await (await fetch("/api/session")).json()) as { csrf: string };
      const withToken = await fetch(path, { method: "POST", headers: { "x-gitcrew-csrf": session.csrf } });
      const without = await fetch(path, { method: "POST" });
      return { withToken: [withToken.status, await withToken.text()], without: without.status };
    }, `/api/runs/${encodeURIComponent(run.runId)}/cancel`);
    expect(forged.withToken[0]).toBe(403);
    expect(JSON.parse(String(forged.withToken[1]))).toEqual({ error: expect.stringMatching(/write/) });
    expect(forged.without).toBe(403);
    expect((await s.run(run.runId))?.status).toBe("running");
  });

  it("a person without access to the private repository sees no run and no run page", async () => {
    const { context, page } = await open();
    await s.signIn(context, page, "olga", "none");
    await page.goto(`${s.url}/#/runs`);
    await page.locator("table[data-testid=runs]").waitFor();
    expect(await page.locator(`tr[data-run-id="${run.runId}"]`).count()).toBe(0);
    await page.goto(`${s.url}/${runHash(run.runId)}`);
    await textOf(page.locator("[role=alert]"), /.+/);
    expect(await page.locator("pre[data-testid=log]").count()).toBe(0);
    const direct = await page.evaluate(async (path) => (await fetch(path)).status, `/api/runs/${encodeURIComponent(run.runId)}`);
    expect([403, 404]).toContain(direct);
    expect(await page.content()).not.toContain("dev: readers may look");
  });

  it("signed out, a run's address leads through GitHub's sign-in back to that run; the API answers 401", async () => {
    const { context, page } = await open();
    await page.goto(`${s.url}/${runHash(run.runId)}`);
    const link = page.getByRole("link", { name: "Sign in with GitHub" });
    await link.waitFor();
    expect(new URL((await link.getAttribute("href")) ?? "", s.url).searchParams.get("next")).toBe(`/${runHash(run.runId)}`);
    expect(await page.evaluate(async () => (await fetch("/api/runs")).status)).toBe(401);

    s.gh.double.setPermission("acme/widgets", "wes", "write");
    await context.addCookies([s.gh.double.webSessionCookie("wes")]);
    await link.click();
    await page.waitForURL((u) => u.origin === s.url && !u.pathname.startsWith("/auth/"));
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/runs/${run.runId}`);
    await textOf(page.locator("[data-testid=login]"), "wes");
    await textOf(page.locator("pre[data-testid=log]"), /dev: readers may look/, 60_000);
  });

  it("a sign-in callback that did not start in this browser is refused and signs nobody in", async () => {
    const { context, page } = await open();
    const res = await page.goto(`${s.url}/auth/callback?code=0123456789abcdef0123&state=forged`);
    expect(res?.status()).toBe(400);
    expect(await page.locator("body").textContent()).toMatch(/did not start here/);
    expect((await context.cookies(s.url)).map((c) => c.name)).not.toContain("gitcrew_session");
    await page.goto(`${s.url}/`);
    await page.getByRole("link", { name: "Sign in with GitHub" }).waitFor();
  });

  it("the test browser cannot leave loopback: another host does not resolve, and the attempt is recorded", async () => {
    // Its own context, left out of the list the last test checks.
    const { page, offLoopback: attempts } = await browser.open();
    const failed: string[] = [];
    page.on("requestfailed", (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ""}`));
    // A page without the dashboard's CSP (which would block the image before any lookup).
    await page.setContent('<h1>no CSP here</h1><img src="https://example.com/pixel.png">');
    await until("the image request to fail", async () => failed.some((f) => f.startsWith("https://example.com/pixel.png")), 200);
    expect(failed.find((f) => f.startsWith("https://example.com/pixel.png"))).toContain("net::ERR_NAME_NOT_RESOLVED");
    expect(attempts).toContain("https://example.com/pixel.png");
    const direct = await page.goto("http://example.com/").then(() => "loaded", (err: Error) => err.message);
    expect(direct).toContain("ERR_NAME_NOT_RESOLVED");
  });

  it("the browser never left loopback", () => {
    expect(offLoopback.flat()).toEqual([]);
  });
});
