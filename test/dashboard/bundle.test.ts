/**
 * The built page (dist/dashboard/, built by vitest's global setup as CI
 * builds it): the CSP forbids inline script and style, so index.html may
 * only link hashed files that exist; the page stays small; npm ships it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const dir = "dist/dashboard";
const html = () => readFileSync(`${dir}/index.html`, "utf8");

describe("the built dashboard page", () => {
  it("index.html has no inline script, style or handler, and links only its own hashed assets", () => {
    const page = html();
    expect(page).not.toMatch(/<style|\sstyle=|\son[a-z]+=|javascript:/i);
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts).toHaveLength(1);
    for (const [, attrs, body] of scripts) {
      expect(body).toBe("");
      expect(attrs).toMatch(/\ssrc="\/assets\/app-[A-Z0-9]+\.js"/);
    }
    const linked = [...page.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
    expect(linked.sort()).toEqual(readdirSync(`${dir}/assets`).sort());
    expect(linked.some((f) => /^app-[A-Z0-9]+\.css$/.test(f))).toBe(true);
  });

  it("fetches nothing from elsewhere and stays under 60 KB gzipped", () => {
    const files = readdirSync(`${dir}/assets`).map((f) => readFileSync(`${dir}/assets/${f}`));
    const js = files.map((b) => b.toString("utf8")).join("\n");
    // Absolute URLs in the bundle: only XML namespace names (not fetched) and GitHub's avatar host.
    const urls = [...js.matchAll(/https?:\/\/[a-z0-9.-]+/gi)].map((m) => m[0]);
    expect(urls.filter((u) => u !== "http://www.w3.org" && u !== "https://avatars.githubusercontent.com")).toEqual([]);
    const gzipped = files.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
    expect(gzipped).toBeLessThan(60 * 1024);
  });

  it("is in the npm package", () => {
    expect(existsSync(`${dir}/index.html`)).toBe(true);
    const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as [{ files: { path: string }[] }];
    const shipped = new Set(pack.files.map((f) => f.path));
    expect(shipped).toContain("dist/dashboard/index.html");
    for (const f of readdirSync(`${dir}/assets`)) expect(shipped).toContain(`dist/dashboard/assets/${f}`);
  });
});
