/**
 * The dashboard in Debian's Chromium against a real `gitcrew serve` (the
 * default pipeline, real Docker runs of `command` agents) and the GitHub
 * double, as a person with write access: sign in through GitHub's OAuth web
 * flow, see a run appear and its log stream in without a reload, follow a
 * waiting run's place in the queue on the page and in the thread, cancel one
 * and retry one from the page, and an unknown run id. Screenshots of each page
 * go to docs/screenshots/. The browser never leaves loopback.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot, useBrowser } from "../support/browser.js";
import { agent, BOT, REPO, startDashboardServer, textOf, type DashboardServer } from "../support/dashboard-server.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { until } from "../support/server-harness.js";

const WRITER = "wes";
// dev prints, then keeps running until cancelled; one dev run at a time (the default), so a second one waits.
const DEV = "echo 'dev: first line'; sleep 3; echo 'dev: second line, streamed later'; sleep 300";

describe("dashboard in a browser, signed in with write access", () => {
  const browser = useBrowser();
  let s: DashboardServer;
  let page: Page;
  let offLoopback: string[];
  const streams: string[] = [];

  beforeAll(async () => {
    await requireDockerAndImage();
    s = await startDashboardServer({ ...agent("dev", DEV), ...agent("flaky", "echo 'flaky: tried'; exit 3") });
    const opened = await browser.open();
    ({ page, offLoopback } = opened);
    page.on("response", (r) => {
      if (new URL(r.url()).pathname.endsWith("/stream")) streams.push(`${r.status()} ${r.headers()["content-type"] ?? ""}`);
    });
  }, 600_000);

  afterAll(async () => {
    s?.gh.double.assertNoViolations();
    await s?.stop();
  });

  const row = (id: string) => page.locator(`table[data-testid=runs] tr[data-run-id="${id}"]`);
  const statusOnRunPage = () => page.locator("[data-testid=status]");

  it("signed out, the page offers GitHub sign-in; GitHub sends the person back signed in", async () => {
    await page.goto(`${s.url}/`);
    const link = page.getByRole("link", { name: "Sign in with GitHub" });
    await link.waitFor();
    expect(await link.getAttribute("href")).toMatch(/^\/auth\/login\?next=/);
    // Nothing of the dashboard's data is there before sign-in.
    expect(await page.locator("table[data-testid=runs]").count()).toBe(0);
    await screenshot(page, "sign-in");

    await s.signIn(page.context(), page, WRITER, "write");
    expect(new URL(page.url()).origin).toBe(s.url);
    const cookies = await page.context().cookies(s.url);
    const session = cookies.find((c) => c.name === "gitcrew_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
    // The person's GitHub token never reaches the page.
    const oauthTokens = s.gh.double.requests.filter((r) => r.operationId === "users/get-authenticated");
    expect(oauthTokens.length).toBeGreaterThan(0);
    expect(await page.content()).not.toMatch(/gho_/);
  });

  let first = { runId: "", issue: 0 };

  it("a run appears in the list and its log streams into the run page as the agent prints it", async () => {
    await page.goto(`${s.url}/#/runs`);
    await page.locator("table[data-testid=runs]").waitFor();
    // The page is never reloaded from here on: this mark would be gone.
    await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
    first = await s.mention("alice", "@dev please look");
    await textOf(row(first.runId).locator("[data-testid=status]"), /queued|running/);
    expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);

    await page.goto(`${s.url}/#/runs/${encodeURIComponent(first.runId)}`);
    await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
    const log = page.locator("pre[data-testid=log]");
    await textOf(log, /dev: first line/, 120_000);
    await textOf(statusOnRunPage(), "running");
    await textOf(log, /dev: second line, streamed later/);
    expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(streams.some((x) => x.startsWith("200 text/event-stream"))).toBe(true);
    for (const heading of ["Plan", "Prompt", "Container", "Log"]) expect(await page.getByRole("heading", { name: heading }).count()).toBeGreaterThan(0);
    await screenshot(page, "run");
  }, 180_000);

  let second = { runId: "", issue: 0 };
  let third = { runId: "", issue: 0 };
  let queuePage: Page;
  const queueRow = (p: Page, id: string) => p.locator(`table[data-testid=queue] tr[data-run-id="${id}"]`);
  const trackingOf = (issue: number) => s.gh.double.comments(REPO, issue).find((c) => c.user === BOT)?.body ?? "";
  const threadSays = (issue: number, line: string) =>
    until(`"${line}" in the thread`, async () => trackingOf(issue).includes(line), 600).catch((err: unknown) => {
      throw new Error(`${String(err)}; the tracking comment says:\n${trackingOf(issue)}`);
    });

  it("waiting runs show their place in the queue on the page and in the thread", async () => {
    second = await s.mention("alice", "@dev and this too", "Second task");
    third = await s.mention("alice", "@dev and this last", "Third task");
    // A tab of its own stays on the queue, to follow it while the run page cancels the run ahead.
    queuePage = await page.context().newPage();
    await queuePage.goto(`${s.url}/#/queue`);
    await textOf(queueRow(queuePage, second.runId), /1st[\s\S]*queued: 1st in line, behind 1 run of @dev \(1 at a time\)/);
    await textOf(queueRow(queuePage, third.runId), /2nd[\s\S]*queued: 2nd in line, behind 2 runs of @dev \(1 at a time\)/);
    await screenshot(queuePage, "queue");
    await threadSays(second.issue, "queued: 1st in line, behind 1 run of `@dev` (1 at a time)");
    await threadSays(third.issue, "queued: 2nd in line, behind 2 runs of `@dev` (1 at a time)");
  });

  it("Cancel on the run page cancels the run; the queue moves up on the open queue page and in the thread", async () => {
    await queuePage.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
    await page.goto(`${s.url}/#/runs/${encodeURIComponent(first.runId)}`);
    const cancel = page.getByRole("button", { name: "Cancel" });
    await cancel.waitFor();
    expect(await cancel.isDisabled()).toBe(false);
    await cancel.click();
    await textOf(statusOnRunPage(), "cancelled", 60_000);
    await until("the store to say cancelled", async () => (await s.run(first.runId))?.status === "cancelled", 600);

    await until("the second run to start", async () => (await s.run(second.runId))?.status === "running", 2400);
    await until("the started run off the queue page", async () => (await queueRow(queuePage, second.runId).count()) === 0, 600);
    await textOf(queueRow(queuePage, third.runId), /1st[\s\S]*queued: 1st in line, behind 1 run of @dev \(1 at a time\)/);
    expect(await queuePage.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await threadSays(third.issue, "queued: 1st in line, behind 1 run of `@dev` (1 at a time)");
    await queuePage.close();
    // The rest are stopped too, so the file leaves no container behind.
    for (const r of [third, second]) expect((await s.api(`/api/runs/${encodeURIComponent(r.runId)}/cancel`, { method: "POST" })).status).toBe(202);
  }, 180_000);

  it("Retry on a failed run queues it again and the page follows the new attempt", async () => {
    const failed = await s.mention("alice", "@flaky try this");
    await until("the flaky run to fail", async () => (await s.run(failed.runId))?.status === "failed", 2400);
    await page.goto(`${s.url}/#/runs/${encodeURIComponent(failed.runId)}`);
    await textOf(statusOnRunPage(), "failed");
    const retry = page.getByRole("button", { name: "Retry" });
    await retry.waitFor();
    await retry.click();
    const again = `${failed.runId}~retry1`;
    await page.waitForURL((u) => decodeURIComponent(u.hash) === `#/runs/${again}`);
    await textOf(statusOnRunPage(), "failed", 120_000);
    await textOf(page.locator("pre[data-testid=log]"), /flaky: tried/);
    expect((await s.run(again))?.status).toBe("failed");
  }, 180_000);

  it("an unknown run id gets a page that says so, and the API a 404", async () => {
    await page.goto(`${s.url}/#/runs/no-such-run`);
    await textOf(page.locator("[role=alert]"), /not found|no run|unknown/i);
    expect((await s.api("/api/runs/no-such-run")).status).toBe(404);
  });

  it("the runs list, approvals, crew and health pages show the server's state", async () => {
    await page.goto(`${s.url}/#/runs`);
    await textOf(row(first.runId).locator("[data-testid=status]"), "cancelled");
    await textOf(page.locator("table[data-testid=runs]"), /failed/);
    await screenshot(page, "runs");
    // Filtering by agent goes to the server (the hash keeps it): only flaky's run and its retry are left.
    await page.locator("select[name=agent]").selectOption("flaky");
    await page.waitForURL((u) => u.hash === "#/runs?agent=flaky");
    await until("only flaky's runs listed", async () => {
      const ids = await page.locator("table[data-testid=runs] tr[data-run-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-run-id") ?? ""));
      return ids.length === 2 && ids.every((id) => /:flaky(~retry1)?$/.test(id));
    }, 200);
    for (const [hash, testid] of [["#/approvals", "approvals"], ["#/health", "health"], ["#/crew", "crew"]] as const) {
      await page.goto(`${s.url}/${hash}`);
      await page.locator(`[data-testid=${testid}]`).waitFor();
      if (testid === "crew") await textOf(page.locator("[data-testid=crew]"), /dev[\s\S]*flaky|flaky[\s\S]*dev/);
      if (testid === "health") {
        await textOf(page.locator("tr[data-check=Store]"), /ok[\s\S]*sqlite/);
        await textOf(page.locator("tr[data-check='Docker engine']"), /ok/);
      }
      await screenshot(page, testid);
    }
  });

  it("the browser never left loopback", () => {
    expect(offLoopback).toEqual([]);
  });
});
