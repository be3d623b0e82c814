/**
 * The egress proxy with real sockets: curl through the gateway to a local
 * HTTPS server by CONNECT (no TLS interception: curl checks the server's
 * own certificate), refusals recorded per run, tokens checked, internal
 * addresses refused unless allowed, and host secrets added by the gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { type Cert, curl, makeCert, startHttp, startHttps, type TestServer } from "./support.js";

let cert: Cert;
let https: TestServer;
let plain: TestServer;
let gw: Gateway;

beforeAll(async () => {
  cert = makeCert();
  https = await startHttps(cert, (req, res) => {
    res.writeHead(200, { "content-type": "text/plain" }).end(`secure hello ${req.url}`);
  });
  plain = await startHttp((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" }).end(`plain hello ${req.url}`);
  });
  // Loopback is internal; these tests allow it explicitly to stand in for outside hosts.
  gw = await startGateway({ allowInternal: ["127.0.0.0/8"], ca: cert.cert });
});

afterAll(async () => {
  await gw?.close();
  await https?.close();
  await plain?.close();
  cert?.cleanup();
});

describe("egress through the gateway", () => {
  it("tunnels HTTPS to an allowlisted host with CONNECT; the client sees the server's own certificate", async () => {
    const run = gw.register({ runId: "egress-ok", allow: [`localhost:${https.port}`] });
    const r = await curl(["--proxy", run.proxyUrl(), "--cacert", cert.certPath, `https://localhost:${https.port}/x?y=1`]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(200);
    expect(r.body).toBe("secure hello /x?y=1");
    // The server never saw the proxy credentials (they end at the gateway).
    expect(JSON.stringify(https.requests.at(-1)?.headers)).not.toContain(run.token);
    expect(gw.revoke(run.runId)?.refusals).toEqual([]);
  });

  it("refuses a host off the allowlist with 403 and records host, port and time", async () => {
    const run = gw.register({ runId: "egress-refused", allow: [`localhost:${https.port}`] });
    const before = https.requests.length;
    const r = await curl(["--proxy", run.proxyUrl(), "--cacert", cert.certPath, `https://127.0.0.1:${https.port}/`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/403/);
    const other = await curl(["--proxy", run.proxyUrl(), `http://127.0.0.1:${plain.port}/leak?data=secret`]);
    expect(other.status).toBe(403);
    expect(other.body).toContain("not on this run's allowlist");
    expect(https.requests.length).toBe(before);
    expect(plain.requests.some((q) => q.url.includes("leak"))).toBe(false);
    const report = gw.revoke(run.runId);
    expect(report?.refusals.map((f) => [f.kind, f.host, f.port, f.reason])).toEqual([
      ["egress", "127.0.0.1", https.port, "not on the allowlist"],
      ["egress", "127.0.0.1", plain.port, "not on the allowlist"],
    ]);
    for (const f of report?.refusals ?? []) expect(Date.now() - Date.parse(f.time)).toBeLessThan(60_000);
  });

  it("a port is part of the rule: the right host on another port is refused", async () => {
    const run = gw.register({ runId: "egress-port", allow: ["localhost:1"] });
    const r = await curl(["--proxy", run.proxyUrl(), "--cacert", cert.certPath, `https://localhost:${https.port}/`]);
    expect(r.stderr).toMatch(/403/);
    expect(gw.revoke(run.runId)?.refusals.map((f) => f.port)).toEqual([https.port]);
  });

  it("asks for credentials without a token, refuses a wrong one, and an ended run's token", async () => {
    const run = gw.register({ runId: "egress-token", allow: [`127.0.0.1:${plain.port}`] });
    const url = `http://127.0.0.1:${plain.port}/t`;
    const ok = await curl(["--proxy", run.proxyUrl(), url]);
    expect(ok.body).toBe("plain hello /t");
    const none = await curl(["--proxy", `http://127.0.0.1:${gw.port}`, url]);
    expect(none.status).toBe(407);
    expect(none.body).toContain("proxy credentials required");
    const wrong = await curl(["--proxy", `http://run:gitcrew-run-guess@127.0.0.1:${gw.port}`, url]);
    expect(wrong.status).toBe(407);
    expect(wrong.body).toContain("unknown run token");
    gw.revoke(run.runId);
    const expired = await curl(["--proxy", run.proxyUrl(), url]);
    expect(expired.status).toBe(407);
    expect(expired.body).toContain("run token expired");
    const tunnel = await curl(["--proxy", run.proxyUrl(), "--cacert", cert.certPath, `https://localhost:${https.port}/`]);
    expect(tunnel.stderr).toMatch(/407/);
  });

  it("adds a host's secret on the gateway: the client sends plain HTTP without it, the server gets HTTPS with it", async () => {
    const secret = "Bearer ghs_realTokenNeverInTheContainer";
    const run = gw.register({
      runId: "egress-secret",
      allow: [`localhost:${https.port}`],
      secrets: [{ host: "localhost", header: "Authorization", value: secret }],
    });
    const r = await curl(["--proxy", run.proxyUrl(), "-H", "authorization: Bearer fake", `http://localhost:${https.port}/repos/o/r`]);
    expect(r.body).toBe("secure hello /repos/o/r");
    expect(https.requests.at(-1)?.headers.authorization).toBe(secret);
    expect(https.requests.at(-1)?.headers["proxy-authorization"]).toBeUndefined();
    gw.revoke(run.runId);
  });
});

describe("internal addresses", () => {
  it("refuses an allowlisted name that resolves to loopback unless the gateway allows it", async () => {
    const strict = await startGateway();
    try {
      const run = strict.register({ runId: "ssrf", allow: [`localhost:${plain.port}`, `127.0.0.1:${plain.port}`, "[::ffff:127.0.0.1]"] });
      for (const target of [`http://localhost:${plain.port}/admin`, `http://127.0.0.1:${plain.port}/admin`, "http://[::ffff:127.0.0.1]/"]) {
        const r = await curl(["--proxy", run.proxyUrl(), target]);
        expect(r.status).toBe(403);
      }
      const tunnel = await curl(["--proxy", run.proxyUrl(), "--cacert", cert.certPath, `https://localhost:${https.port}/`]);
      expect(tunnel.stderr).toMatch(/403/);
      expect(plain.requests.some((q) => q.url === "/admin")).toBe(false);
      const reasons = strict.revoke(run.runId)?.refusals.map((f) => f.reason);
      expect(reasons?.slice(0, 2)).toEqual(["resolves to an internal address", "resolves to an internal address"]);
    } finally {
      await strict.close();
    }
  });
});
