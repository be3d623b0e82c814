/**
 * Attack: the OAuth callback. A callback whose state does not match the
 * state cookie this browser got from /auth/login (login CSRF: an attacker's
 * own code planted in a victim's browser, or a replayed callback) gets a 400
 * page and no session. The page to return to is a path on this server only:
 * //evil, https://evil, /\evil and the like are refused at /auth/login.
 */
import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS } from "../support/stores.js";
import { Browser, startDashboardServer, type DashboardServer } from "../support/dashboard-harness.js";

let s: DashboardServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

/** The callback URL GitHub (the double) sends a browser to after /auth/login. */
async function authorized(s: DashboardServer, b: Browser, login: string): Promise<URL> {
  const start = await b.fetch("/auth/login?next=%2F%23%2Fruns");
  expect(start.status).toBe(302);
  const web = s.gh.double.webSessionCookie(login);
  const res = await fetch(start.headers.get("location")!, { redirect: "manual", headers: { cookie: `${web.name}=${web.value}` } });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

describe("dashboard OAuth callback", () => {
  it("refuses a callback whose state does not match this browser's (400, no session), and lands on next when it does", async () => {
    s = await startDashboardServer(await BACKENDS[0]!.fresh("dash-state"));
    // The attacker's own callback (their code and state) opened in the victim's browser, which started no sign-in.
    const attacker = new Browser(s.url);
    const theirs = await authorized(s, attacker, "mallory");
    const victim = new Browser(s.url);
    const planted = await victim.fetch(`${theirs.pathname}${theirs.search}`);
    expect(planted.status).toBe(400);
    expect(await planted.text()).toContain("state does not match");
    expect(victim.cookies.has("gitcrew_session")).toBe(false);

    // The victim started a sign-in of their own; the attacker's callback still does not match it.
    await victim.fetch("/auth/login");
    const swapped = await victim.fetch(`${theirs.pathname}${theirs.search}`);
    expect(swapped.status).toBe(400);
    expect(victim.cookies.has("gitcrew_session")).toBe(false);

    // No state, an empty one, or a state with no cookie.
    for (const search of [`?code=${theirs.searchParams.get("code")}`, `?code=x&state=`]) {
      const b = new Browser(s.url);
      await b.fetch("/auth/login");
      expect((await b.fetch(`/auth/callback${search}`)).status).toBe(400);
      expect(b.cookies.has("gitcrew_session")).toBe(false);
    }
    expect((await fetch(`${s.url}/api/session`, { headers: { cookie: victim.cookieHeader } })).status).toBe(401);

    // The attacker's own browser, whose state matches, is signed in and sent to next.
    const own = await attacker.fetch(`${theirs.pathname}${theirs.search}`);
    expect(own.status).toBe(302);
    expect(own.headers.get("location")).toBe("/#/runs");
    expect(attacker.cookies.has("gitcrew_session")).toBe(true);
    expect(attacker.cookies.has("gitcrew_oauth")).toBe(false);
  });

  it("refuses next values that leave the server (open redirect), before GitHub is asked", async () => {
    s = await startDashboardServer(await BACKENDS[0]!.fresh("dash-next"));
    const evil = ["//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "javascript:alert(1)", "evil.example", "/\n/evil.example", `/${"a".repeat(600)}`];
    for (const next of evil) {
      const res = await fetch(`${s.url}/auth/login?next=${encodeURIComponent(next)}`, { redirect: "manual" });
      expect(res.status, next).toBe(400);
      expect(res.headers.get("location"), next).toBeNull();
      expect(res.headers.getSetCookie(), next).toEqual([]);
    }
    const fine = await fetch(`${s.url}/auth/login?next=${encodeURIComponent("/#/runs/abc?x=1")}`, { redirect: "manual" });
    expect(fine.status).toBe(302);
    expect(new URL(fine.headers.get("location")!).origin).toBe(s.gh.double.url);
  });

  it("says 'not configured' without a client id, and the API token still works", async () => {
    s = await startDashboardServer(await BACKENDS[0]!.fresh("dash-nosignin"), { signIn: false });
    expect((await fetch(`${s.url}/auth/login`, { redirect: "manual" })).status).toBe(503);
    const session = await fetch(`${s.url}/api/session`);
    expect(session.status).toBe(401);
    expect(await session.json()).toEqual({ error: "sign-in is not configured on this server: use the API token", signIn: false });
  });

  it("sets Secure cookies when the public URL is https", async () => {
    s = await startDashboardServer(await BACKENDS[0]!.fresh("dash-secure"), { publicUrl: "https://crew.example.com" });
    const b = new Browser(s.url);
    const start = await b.fetch("/auth/login");
    expect(start.headers.getSetCookie()[0]).toMatch(/^gitcrew_oauth=[A-Za-z0-9_.-]+; Path=\/auth; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
    expect(new URL(start.headers.get("location")!).searchParams.get("redirect_uri")).toBe("https://crew.example.com/auth/callback");
    const web = s.gh.double.webSessionCookie("alice");
    const back = new URL((await fetch(start.headers.get("location")!, { redirect: "manual", headers: { cookie: `${web.name}=${web.value}` } })).headers.get("location")!);
    // The proxy in front would forward https://crew.example.com/auth/callback here.
    const res = await b.fetch(`${back.pathname}${back.search}`);
    expect(res.status).toBe(302);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("gitcrew_session="))).toMatch(/HttpOnly; SameSite=Lax; Secure$/);
  });
});
