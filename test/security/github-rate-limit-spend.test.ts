/**
 * GitHub from inside a run goes through the gateway with the run's
 * installation token. An installation's rate limit is shared by all its
 * tokens, gitcrew's own included: a prompt-injected agent looping over reads
 * spent it, and gitcrew could then not post a comment, an answer or an
 * approval for anyone in that installation until the hour was over.
 *
 * The gateway forwards to a scripted GitHub API on loopback that counts down
 * its rate limit as GitHub does (`x-ratelimit-*` headers). What the operator
 * sees: the run's requests stop with 429 once a fifth of the limit is left
 * (GitHub never receives them, the run's report records the refusal), and
 * pass again after GitHub's reset; a burst sent at once passes at most 8
 * requests (none of them is counted by an answer yet). On the code before the fix every request
 * reached GitHub until the limit was gone.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";

let gh: Server;
let ghUrl: string;
let gw: Gateway;
const seen: string[] = [];
/** While set, the scripted GitHub holds its answers (requests in flight). */
let hold: Promise<void> | undefined;
/** The installation's limit, as the scripted GitHub counts it. */
const limit = { core: { limit: 5000, remaining: 1005, reset: 0 } };

beforeAll(async () => {
  gh = createServer(async (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    await hold;
    const l = limit.core;
    l.remaining = Math.max(0, l.remaining - 1);
    res.writeHead(200, {
      "content-type": "application/json",
      "x-ratelimit-resource": "core",
      "x-ratelimit-limit": String(l.limit),
      "x-ratelimit-remaining": String(l.remaining),
      "x-ratelimit-reset": String(l.reset),
    });
    res.end(JSON.stringify({ full_name: "acme/widgets" }));
  });
  await new Promise<void>((r) => gh.listen(0, "127.0.0.1", r));
  ghUrl = `http://127.0.0.1:${(gh.address() as AddressInfo).port}`;
  gw = await startGateway();
});

afterAll(async () => {
  await gw?.close();
  await new Promise((r) => gh?.close(r));
});

async function get(token: string, path: string): Promise<number> {
  const res = await fetch(`${gw.url}/github/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  await res.text();
  return res.status;
}

describe("a run's GitHub reads and the installation's rate limit", () => {
  it("stop when a fifth of the limit is left: GitHub does not receive the rest, and the report says so", async () => {
    limit.core = { limit: 5000, remaining: 1005, reset: Math.floor(Date.now() / 1000) + 3600 };
    seen.length = 0;
    const run = gw.register({ runId: "rate-1", github: { token: "ghs_real", apiUrl: ghUrl, gitUrl: ghUrl } });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await get(run.token, "/repos/acme/widgets"));
    // 1004 … 1000 left after the first five, 999 after the sixth: below the reserve of 1000.
    expect(statuses).toEqual([...Array(6).fill(200), ...Array(14).fill(429)]);
    expect(seen).toHaveLength(6);
    const report = gw.revoke(run.runId)!;
    expect(report.refusals.filter((r) => r.kind === "github")).toHaveLength(14);
  });

  it("a burst sent at once (before any answer counts it) passes at most 8 requests", async () => {
    limit.core = { limit: 5000, remaining: 1005, reset: Math.floor(Date.now() / 1000) + 3600 };
    seen.length = 0;
    let release = () => {};
    hold = new Promise<void>((r) => (release = r));
    const run = gw.register({ runId: "rate-burst", github: { token: "ghs_real", apiUrl: ghUrl, gitUrl: ghUrl } });
    const refused: number[] = [];
    const burst = Array.from({ length: 30 }, () => get(run.token, "/repos/acme/widgets").then((s) => (s === 429 && refused.push(s), s)));
    // Every request has been answered by the gateway or is held at GitHub.
    for (let i = 0; i < 400 && seen.length + refused.length < 30; i++) await new Promise((r) => setTimeout(r, 50));
    const atGitHub = seen.length;
    release();
    hold = undefined;
    const statuses = await Promise.all(burst);
    expect(atGitHub).toBe(8);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    expect(statuses.filter((s) => s === 429)).toHaveLength(22);
    gw.revoke(run.runId);
  });

  it("a run whose limit was reset (a new hour) reads again", async () => {
    limit.core = { limit: 5000, remaining: 1000, reset: Math.floor(Date.now() / 1000) - 1 };
    seen.length = 0;
    const run = gw.register({ runId: "rate-2", github: { token: "ghs_real", apiUrl: ghUrl, gitUrl: ghUrl } });
    expect(await get(run.token, "/repos/acme/widgets")).toBe(200);
    expect(await get(run.token, "/repos/acme/widgets")).toBe(200);
    expect(seen).toHaveLength(2);
    gw.revoke(run.runId);
  });
});
