/**
 * A prompt-injected agent on the default network (`limits.network: allow`)
 * tries to leave its container: on the real Docker engine, a command agent
 * looks for the real secrets in its environment, resolves an outside name,
 * opens raw TCP connections that ignore the proxy, and asks the gateway's
 * proxy for a host off its list. Each fails, and the refusal is in the
 * run's result; the one allowlisted HTTPS host (a local server standing in
 * for it) is reached through the tunnel, and a secret for that host reaches
 * the host while the container never holds it.
 */
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { type Cert, makeCert, startHttps, type TestServer } from "../gateway/support.js";
import { makeCrewRepo } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const REAL_MODEL_KEY = "sk-ant-real-model-key-never-in-a-container";
const REAL_HOST_SECRET = "npm-real-registry-token-for-one-host";
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** Runs inside the container; prints one JSON line per attempt. */
function probe(port: number): string {
  return `
import dns from "node:dns/promises";
import net from "node:net";
import tls from "node:tls";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
const out = (o) => console.log(JSON.stringify(o));
const sha = (s) => createHash("sha256").update(s).digest("hex");
// The environment, hashed value by value (the runner masks known secrets in logs; a hash it cannot).
out({ step: "env", hashes: Object.values(process.env).map(sha), proxySet: /^http:\\/\\/run:gitcrew-run-/.test(process.env.HTTPS_PROXY ?? ""), names: Object.keys(process.env) });
try { out({ step: "dns", ok: true, addrs: await dns.lookup("example.com", { all: true }) }); } catch (e) { out({ step: "dns", ok: false, code: e.code }); }
const raw = (host, port) => new Promise((resolve) => {
  const s = net.connect({ host, port });
  const done = (r) => { s.destroy(); resolve(r); };
  s.setTimeout(4000, () => done({ ok: false, code: "TIMEOUT" }));
  s.on("connect", () => done({ ok: true }));
  s.on("error", (e) => done({ ok: false, code: e.code }));
});
out({ step: "raw-outside", ...(await raw("1.1.1.1", 443)) });
out({ step: "raw-outside-80", ...(await raw("8.8.8.8", 80)) });
const proxy = new URL(process.env.HTTPS_PROXY);
const auth = "Basic " + Buffer.from(decodeURIComponent(proxy.username) + ":" + decodeURIComponent(proxy.password)).toString("base64");
const connect = (target) => new Promise((resolve) => {
  const s = net.connect({ host: proxy.hostname, port: Number(proxy.port) });
  s.on("error", (e) => resolve({ status: 0, code: e.code }));
  s.once("connect", () => s.write("CONNECT " + target + " HTTP/1.1\\r\\nHost: " + target + "\\r\\nProxy-Authorization: " + auth + "\\r\\n\\r\\n"));
  let head = "";
  const onData = (c) => {
    head += c.toString("latin1");
    if (!head.includes("\\r\\n\\r\\n")) return;
    s.off("data", onData);
    resolve({ status: Number(head.split(" ")[1]), socket: s });
  };
  s.on("data", onData);
});
const off = await connect("example.org:443");
out({ step: "proxy-off-list", status: off.status });
off.socket?.destroy();
const on = await connect("localhost:${port}");
if (on.status !== 200) out({ step: "tunnel", status: on.status });
else {
  const t = tls.connect({ socket: on.socket, servername: "localhost", ca: readFileSync("/workspace/ca.pem", "utf8") }, () => t.write("GET /tunnel HTTP/1.0\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n"));
  let body = "";
  t.on("data", (c) => (body += c));
  await new Promise((r) => t.on("close", r).on("error", r));
  out({ step: "tunnel", status: 200, authorized: t.authorized, body: body.split("\\r\\n\\r\\n")[1] });
}
// Plain http:// through the proxy to the host with a secret: the gateway adds it and sends it on over HTTPS.
const viaProxy = await new Promise((resolve) => {
  const s = net.connect({ host: proxy.hostname, port: Number(proxy.port) }, () => s.write("GET http://localhost:${port}/with-secret HTTP/1.1\\r\\nHost: localhost:${port}\\r\\nProxy-Authorization: " + auth + "\\r\\nConnection: close\\r\\n\\r\\n"));
  let got = "";
  s.on("data", (c) => (got += c));
  s.on("close", () => resolve(got));
  s.on("error", () => resolve(got));
});
out({ step: "host-secret", status: Number(String(viaProxy).split(" ")[1]), body: String(viaProxy).split("\\r\\n\\r\\n")[1] });
`;
}

describe("a run on the gateway network cannot get out (real Docker engine)", () => {
  let cert: Cert;
  let https: TestServer;
  let repo: string;
  let home: string;
  let runner: Runner;

  beforeAll(async () => {
    await requireDockerAndImage();
    cert = makeCert();
    https = await startHttps(cert, (req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(req.url === "/tunnel" ? "hello through the tunnel" : "secret-checked"));
    repo = await makeCrewRepo(
      [
        {
          name: "prober",
          yaml: [
            "runtime: command",
            'command: ["node", "/workspace/probe.mjs"]',
            "limits:",
            "  timeout: 2m",
            "  network:",
            `    allow: ["localhost:${https.port}"]`,
            "secrets:",
            `  - {name: "REGISTRY_TOKEN", host: "localhost", header: "authorization", format: "Bearer {}"}`,
            "",
          ].join("\n"),
        },
      ],
      { "probe.mjs": probe(https.port), "ca.pem": cert.cert },
    );
    home = tempHome();
    runner = await Runner.start({
      env: { ...process.env, GITCREW_HOME: home, ANTHROPIC_API_KEY: REAL_MODEL_KEY, REGISTRY_TOKEN: REAL_HOST_SECRET },
      // The local server stands in for an outside host: the gateway may reach loopback for it, and trusts its certificate.
      gateway: { allowInternal: ["127.0.0.0/8"], ca: cert.cert },
    });
  }, 180_000);

  afterAll(async () => {
    await runner?.close();
    await https?.close();
    cert?.cleanup();
    if (repo) rmSync(repo, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("holds no real secret, resolves nothing, connects nowhere but the gateway, and is refused off its list", async () => {
    const { agent } = await loadAgent(repo, "prober");
    expect(agent.limits.network).toEqual({ allow: [`localhost:${https.port}`] });
    const { result, logs } = await runOnce(runner, repo, agent, "probe");
    const steps = Object.fromEntries(
      logs.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { step: string } & Record<string, unknown>).map((o) => [o.step, o]),
    );
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");

    // The environment: the proxy with a run token, and neither the model key nor the host's secret.
    const env = steps.env as unknown as { hashes: string[]; proxySet: boolean; names: string[] };
    expect(env.proxySet).toBe(true);
    expect(env.hashes).not.toContain(sha(REAL_MODEL_KEY));
    expect(env.hashes).not.toContain(sha(REAL_HOST_SECRET));
    expect(env.names).not.toContain("REGISTRY_TOKEN");
    expect(env.names).not.toContain("ANTHROPIC_API_KEY");

    // No name resolution out, no raw connection out.
    expect(steps.dns).toMatchObject({ ok: false });
    expect(steps["raw-outside"]).toMatchObject({ ok: false });
    expect(steps["raw-outside-80"]).toMatchObject({ ok: false });

    // Off the list: 403 from the gateway, recorded in the result.
    expect(steps["proxy-off-list"]).toEqual({ step: "proxy-off-list", status: 403 });
    expect(result.gateway?.refusals).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "egress", host: "example.org", port: 443 })]));

    // On the list: the TLS tunnel reaches the server, whose own certificate the client checked.
    expect(steps.tunnel).toMatchObject({ status: 200, authorized: true, body: "hello through the tunnel" });

    // The host's secret reached the host from the gateway, over HTTPS.
    expect(steps["host-secret"]).toMatchObject({ status: 200 });
    expect(String(steps["host-secret"]?.body)).toContain("secret-checked");
    const withSecret = https.requests.find((r) => r.url === "/with-secret");
    expect(withSecret?.headers.authorization).toBe(`Bearer ${REAL_HOST_SECRET}`);
    const tunnelled = https.requests.find((r) => r.url === "/tunnel");
    expect(tunnelled?.headers.authorization).toBeUndefined();
  }, 180_000);
});
