/**
 * The browser harness itself (test/support/browser.ts): Debian's Chromium
 * starts headless, loads a page from loopback, and cannot reach any other
 * host: a name outside 127.0.0.1 does not resolve, and the harness records
 * the attempt so the dashboard tests can assert there was none.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowser } from "../support/browser.js";

describe("browser harness", () => {
  const browser = useBrowser();
  let server: Server;
  let origin = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><title>local</title><h1>served from loopback</h1><img src="https://example.com/pixel.png">');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("loads a loopback page; a request to any other host fails without leaving the machine and is recorded", async () => {
    const { page, offLoopback } = await browser.open();
    const failed: string[] = [];
    page.on("requestfailed", (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ""}`));
    await page.goto(`${origin}/`);
    await expect.poll(() => page.locator("h1").textContent()).toBe("served from loopback");
    await expect.poll(() => failed.length).toBe(1);
    expect(failed[0]).toContain("net::ERR_NAME_NOT_RESOLVED");
    expect(offLoopback).toEqual(["https://example.com/pixel.png"]);
    const direct = await page.goto("http://example.com/").then(() => "loaded", (err: Error) => err.message);
    expect(direct).toContain("ERR_NAME_NOT_RESOLVED");
  });
});
