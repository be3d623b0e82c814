/**
 * Attack: reading secrets through the dashboard. No body the server sends —
 * JSON, the log stream, error and sign-in pages, including a failed code
 * exchange — carries the OAuth client secret, the server's GitHub token, the
 * person's GitHub token (dropped after GET /user, never stored), the API token
 * or a session cookie value.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TOKEN } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";
import { addRun, Browser, finish, CLIENT, startDashboardServer, type DashboardServer } from "../support/dashboard-harness.js";

let s: DashboardServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe.each(BACKENDS)("dashboard bodies on $name", (backend) => {
  it("never carry a secret, a token or a cookie value", async () => {
    s = await startDashboardServer(await backend.fresh("dash-leaks"));
    await addRun(s.store, "run-1");
    await s.store.appendLog("run-1", "working\n", Date.now());
    const alice = await s.signIn("alice");
    const cookie = alice.cookies.get("gitcrew_session")!;
    // The tokens GitHub (the double) gave the server for alice in the exchange.
    const personTokens = [...s.gh.double.state.tokens].filter(([, login]) => login === "alice").map(([token]) => token);
    expect(personTokens.length).toBeGreaterThan(0);

    for (const path of [
      "/api/session",
      "/api/runs",
      "/api/runs/run-1",
      "/api/runs/run-1/logs",
      "/api/queue",
      "/api/approvals?state=all",
      "/api/crew",
      "/api/health",
      "/api/runs/nope",
      "/api/runs?bad=1",
      "/",
      "/assets/none.js",
      "/auth/nothing",
    ]) {
      await alice.get(path);
    }
    await alice.post("/api/runs/run-1/cancel");
    await alice.post("/api/runs/run-1/cancel", { origin: "https://evil.example" });
    await finish(s.store);
    await alice.get("/api/runs/run-1/stream");
    // A failed exchange: GitHub refuses the server's client secret.
    s.gh.double.addOAuthApp({ ...CLIENT, clientSecret: "rotated-on-github", callbackUrl: `${s.url}/auth/callback` });
    const failing = new Browser(s.url);
    await failing.signIn(`${s.gh.double.webSessionCookie("alice").name}=${s.gh.double.webSessionCookie("alice").value}`).catch((err: Error) => failing.seen.push(err.message));
    expect(failing.seen.join("\n")).toContain("GitHub did not confirm the sign-in");
    // Bodies answered with a forged cookie and with a wrong API token.
    const forged = await fetch(`${s.url}/api/runs`, { headers: { cookie: "gitcrew_session=" + "A".repeat(43) } });
    const wrong = await fetch(`${s.url}/api/runs`, { headers: { authorization: "Bearer nope" } });

    const bodies = [...alice.seen.filter((t) => !/^gitcrew_(session|oauth)=/.test(t)), ...failing.seen.filter((t) => !/^gitcrew_(session|oauth)=/.test(t)), await forged.text(), await wrong.text()].join("\n");
    expect(bodies).toContain('"login":"alice"');
    for (const [what, secret] of [
      ["client secret", CLIENT.clientSecret],
      ["server token", s.serverToken],
      ["API token", TOKEN],
      ["session cookie", cookie],
      ...personTokens.map((t) => ["person's GitHub token", t] as const),
    ]) {
      expect(bodies.includes(secret), what).toBe(false);
    }
    // Nor does the store keep the person's token.
    const { createHash } = await import("node:crypto");
    const row = JSON.stringify(await s.store.sessions.get(createHash("sha256").update(cookie).digest("hex"), Date.now()));
    for (const t of personTokens) expect(row).not.toContain(t);
  });
});
