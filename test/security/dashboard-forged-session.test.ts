/**
 * Attack: a forged, stolen-from-the-database or expired session cookie. Only a
 * value the server handed out, whose sha256 is in gc_sessions and not past its
 * expiry, signs anyone in; the table holds no cookie value. Both store
 * backends; a session is good on every instance sharing the store.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";
import { addRun, startDashboardServer, type DashboardServer } from "../support/dashboard-harness.js";

let s: DashboardServer | undefined;
let other: Harness | undefined;
afterEach(async () => {
  await other?.stop();
  await s?.stop();
  s = other = undefined;
});

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

describe.each(BACKENDS)("dashboard sessions on $name", (backend) => {
  it("refuses forged and expired cookies (401, nothing changed) and keeps only the cookie's sha256", async () => {
    const spec = await backend.fresh("dash-forged");
    s = await startDashboardServer(spec);
    await addRun(s.store, "run-1");
    const alice = await s.signIn("alice");
    const value = alice.cookies.get("gitcrew_session")!;

    // The store knows the session by the hash of the value, never by the value.
    expect(await s.store.sessions.get(sha256(value), Date.now())).toMatchObject({ login: "alice" });
    expect(await s.store.sessions.get(value, Date.now())).toBeUndefined();

    const as = (cookie: string, path = "/api/runs", method = "GET") =>
      fetch(`${s!.url}${path}`, { method, headers: { cookie, "x-gitcrew-csrf": alice.csrf, origin: s!.url } });
    const forged = [
      `gitcrew_session=${randomBytes(32).toString("base64url")}`,
      `gitcrew_session=${sha256(value)}`,
      "gitcrew_session=alice",
      `gitcrew_session=${value.slice(0, -1)}${value.endsWith("A") ? "B" : "A"}`,
    ];
    for (const cookie of forged) {
      const res = await as(cookie);
      expect(res.status, cookie).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(/session has expired or is not valid/);
      expect((await as(cookie, "/api/runs/run-1/cancel", "POST")).status).toBe(401);
    }
    expect((await s.store.getRun("run-1"))?.status).toBe("queued");

    // A session past its expiry (written as the server writes them) is refused.
    const old = randomBytes(32).toString("base64url");
    await s.store.sessions.create(sha256(old), { login: "alice", userId: 1, csrf: "c", createdAt: Date.now() - 9 * 3600_000, expiresAt: Date.now() - 1000 });
    expect((await as(`gitcrew_session=${old}`, "/api/session")).status).toBe(401);

    // The real one works on a second instance sharing the store.
    expect((await as(`gitcrew_session=${value}`, "/api/session")).status).toBe(200);
    other = await startHarness(spec, { worker: false, instance: "second" });
    const there = await fetch(`${other.server.url}/api/session`, { headers: { cookie: `gitcrew_session=${value}` } });
    expect(there.status).toBe(200);
    expect(((await there.json()) as { login: string }).login).toBe("alice");
  });
});
