/**
 * The GitHub double's OAuth web flow (test/support/github-double/oauth.ts),
 * as GitHub documents it: authorize → redirect with code and state; the code
 * is exchanged once, with the app's secret and the same redirect_uri, for a
 * user token that GET /user on the double resolves to the signed-in user.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

const CALLBACK = "http://127.0.0.1:9/auth/callback";
const APP = { clientId: "Iv1.double", clientSecret: "s3cret", callbackUrl: CALLBACK };

describe("GitHub double: OAuth web flow", () => {
  let gh: DoubleRepo;
  let cookie: string;
  beforeAll(async () => {
    gh = await startDoubleWithRepo("acme/widgets");
    gh.double.addOAuthApp(APP);
    const c = gh.double.webSessionCookie("alice");
    cookie = `${c.name}=${c.value}`;
  });
  afterAll(() => gh.close());

  const authorize = (params: Record<string, string>, withCookie = true) =>
    fetch(`${gh.double.url}/login/oauth/authorize?${new URLSearchParams(params)}`, { redirect: "manual", headers: withCookie ? { cookie } : {} });
  const exchange = async (params: Record<string, string>, accept = "application/json") => {
    const res = await fetch(`${gh.double.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params),
    });
    return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
  };
  const codeFrom = async (res: Response) => {
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get("location") ?? "");
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
    return to.searchParams;
  };

  it("a signed-in user is sent back with a code and the state; the code buys a token GET /user knows as that user, once", async () => {
    const back = await codeFrom(await authorize({ client_id: APP.clientId, redirect_uri: CALLBACK, state: "st8", allow_signup: "false" }));
    expect(back.get("state")).toBe("st8");
    const code = back.get("code") ?? "";
    expect(code).toMatch(/^[0-9a-f]{20}$/);

    const first = await exchange({ client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: CALLBACK });
    expect(first.status).toBe(200);
    const { access_token: token } = JSON.parse(first.text) as { access_token: string };
    const me = await fetch(`${gh.double.url}/user`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { login: string }).login).toBe("alice");

    const again = await exchange({ client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: CALLBACK });
    expect(JSON.parse(again.text)).toMatchObject({ error: "bad_verification_code" });
    gh.double.assertNoViolations();
  });

  it("without Accept: application/json the answer is form-encoded, as GitHub's", async () => {
    const code = (await codeFrom(await authorize({ client_id: APP.clientId, redirect_uri: CALLBACK, state: "x" }))).get("code") ?? "";
    const r = await exchange({ client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: CALLBACK }, "*/*");
    expect(r.type).toContain("application/x-www-form-urlencoded");
    expect(new URLSearchParams(r.text).get("access_token")).toMatch(/^gho_/);
  });

  it("a redirect_uri other than the registered callback goes to the callback with redirect_uri_mismatch, no code", async () => {
    const back = await codeFrom(await authorize({ client_id: APP.clientId, redirect_uri: "http://127.0.0.1:9/evil", state: "s" }));
    expect(back.get("error")).toBe("redirect_uri_mismatch");
    expect(back.get("state")).toBe("s");
    expect(back.get("code")).toBeNull();
  });

  it("an unknown client_id is a 404 page; nobody signed in gets GitHub's sign-in page, no code", async () => {
    const unknown = await authorize({ client_id: "nope", redirect_uri: CALLBACK, state: "s" });
    expect(unknown.status).toBe(404);
    const anonymous = await authorize({ client_id: APP.clientId, redirect_uri: CALLBACK, state: "s" }, false);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).toContain("Sign in to GitHub");
  });

  it("a wrong secret, a wrong redirect_uri or a made-up code buys no token", async () => {
    const fresh = async () => (await codeFrom(await authorize({ client_id: APP.clientId, redirect_uri: CALLBACK, state: "s" }))).get("code") ?? "";
    const badSecret = await exchange({ client_id: APP.clientId, client_secret: "wrong", code: await fresh(), redirect_uri: CALLBACK });
    expect(JSON.parse(badSecret.text)).toMatchObject({ error: "incorrect_client_credentials" });
    const badRedirect = await exchange({ client_id: APP.clientId, client_secret: APP.clientSecret, code: await fresh(), redirect_uri: "http://127.0.0.1:9/other" });
    expect(JSON.parse(badRedirect.text)).toMatchObject({ error: "redirect_uri_mismatch" });
    const madeUp = await exchange({ client_id: APP.clientId, client_secret: APP.clientSecret, code: "0".repeat(20), redirect_uri: CALLBACK });
    expect(JSON.parse(madeUp.text)).toMatchObject({ error: "bad_verification_code" });
    for (const r of [badSecret, badRedirect, madeUp]) expect(r.text).not.toContain("access_token");
  });

  it("the collaborator permission endpoint answers the per-user permission a test sets", async () => {
    gh.double.setPermission("acme/widgets", "rita", "read");
    gh.double.setPermission("acme/widgets", "wes", "write");
    const ok = gh.double.octokit("acme");
    const perm = async (username: string) =>
      (await ok.rest.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "widgets", username })).data.role_name;
    expect(await perm("rita")).toBe("read");
    expect(await perm("wes")).toBe("write");
    gh.double.assertNoViolations();
  });
});
