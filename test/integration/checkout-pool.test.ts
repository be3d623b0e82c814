/**
 * The checkouts of a server serving many repositories, with real git: cloned
 * on first need, shared, removed least-recently-used when they pass the
 * budget (never one in use; a clone a previous process left counts first),
 * and removed on request only once its last user lets it go.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckoutPool } from "../../src/server/checkouts.js";
import { createBareRepo } from "../support/github-double/index.js";

const API = "http://git.invalid/api/v3";
let root = "";
let savedXdg: string | undefined;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "gitcrew-pool-"));
  const xdg = join(root, "xdg");
  mkdirSync(join(xdg, "git"), { recursive: true });
  let config = "";
  for (const name of ["a", "b", "c"]) {
    const bare = join(root, "origins", `${name}.git`);
    // 300 KB that does not compress: each clone takes ~600 KB (pack and working tree).
    await createBareRepo(bare, { "blob.bin": randomBytes(300 * 1024).toString("base64") });
    config += `[url "${bare}"]\n\tinsteadOf = http://git.invalid/acme/${name}.git\n`;
  }
  writeFileSync(join(xdg, "git", "config"), config);
  savedXdg = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = xdg;
});

afterAll(() => {
  if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = savedXdg;
  rmSync(root, { recursive: true, force: true });
});

describe("CheckoutPool", () => {
  it("clones on first need, shares the clone, and keeps to the budget least-recently-used, never removing one in use", async () => {
    const repos = join(root, "repos-lru");
    // A clone a previous process left: it counts, and goes first.
    mkdirSync(join(repos, "old", "stale"), { recursive: true });
    execFileSync("git", ["init", "-q", join(repos, "old", "stale")]);
    writeFileSync(join(repos, "old", "stale", "big.bin"), randomBytes(900 * 1024));
    const logs: string[] = [];
    let clock = 0;
    const pool = new CheckoutPool({ root: repos, budgetBytes: 1400 * 1024, apiUrl: API, token: async () => undefined, log: (l) => logs.push(l), now: () => ++clock });
    expect(existsSync(join(repos, "acme"))).toBe(false);

    const a = await pool.acquire("acme/a");
    expect(a.cloned).toBe(true);
    const again = await pool.acquire("Acme/A");
    expect([again.cloned, again.dir]).toEqual([false, a.dir]);
    again.release();
    a.release();
    expect(existsSync(join(repos, "old", "stale"))).toBe(false);
    expect(logs.some((l) => l.startsWith(`checkouts: removed ${join(repos, "old", "stale")} (least recently used`))).toBe(true);

    const b = await pool.acquire("acme/b"); // held
    const c = await pool.acquire("acme/c"); // a is the least recently used idle clone: it goes
    expect(existsSync(join(repos, "acme", "a"))).toBe(false);
    expect(existsSync(join(b.dir, "blob.bin"))).toBe(true);
    expect(existsSync(join(c.dir, "blob.bin"))).toBe(true);
    c.release();

    // a again: cloned anew; c (idle, older than a) goes, b (in use) stays although older still.
    const a2 = await pool.acquire("acme/a");
    expect(a2.cloned).toBe(true);
    expect(existsSync(join(repos, "acme", "c"))).toBe(false);
    expect(existsSync(join(b.dir, "blob.bin"))).toBe(true);
    a2.release();

    // Removal asked while in use waits for its last user.
    await pool.remove("acme/b", "removed from installation 1");
    expect(existsSync(b.dir)).toBe(true);
    b.release();
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(b.dir)).toBe(false);
  });
});
