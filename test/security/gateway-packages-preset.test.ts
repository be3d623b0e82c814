/**
 * `preset:packages` opens the registries this host's package tools use, and
 * only those. On the real Docker engine, a command agent that allows only
 * `preset:packages` reaches a local server standing in for the host's npm
 * registry (npm_config_registry in the runner's environment) through the
 * gateway's tunnel, and is refused a host that no tool is configured with
 * (a second local server on another port), which the result records.
 * `gitcrew validate` and `dry-run` show what the preset opens here.
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { type Cert, makeCert, startHttps, type TestServer } from "../gateway/support.js";
import { makeCrewRepo } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, "../../bin/gitcrew.js");

/** Runs inside the container: a CONNECT tunnel to each target, then a GET over TLS when the gateway let it through. */
function probe(registryPort: number, offListPort: number): string {
  return `
import net from "node:net";
import tls from "node:tls";
import { readFileSync } from "node:fs";
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
for (const [step, port] of [["registry", ${registryPort}], ["off-list", ${offListPort}]]) {
  const c = await connect("localhost:" + port);
  if (c.status !== 200) { console.log(JSON.stringify({ step, status: c.status })); c.socket?.destroy(); continue; }
  const t = tls.connect({ socket: c.socket, servername: "localhost", ca: readFileSync("/workspace/ca.pem", "utf8") }, () => t.write("GET /left-pad HTTP/1.0\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n"));
  let body = "";
  t.on("data", (d) => (body += d));
  await new Promise((r) => t.on("close", r).on("error", r));
  console.log(JSON.stringify({ step, status: 200, body: body.split("\\r\\n\\r\\n")[1] }));
}
`;
}

describe("preset:packages through the gateway (real Docker engine)", () => {
  let cert: Cert;
  let registry: TestServer;
  let offList: TestServer;
  let repo: string;
  let home: string;
  let runner: Runner;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    await requireDockerAndImage();
    cert = makeCert();
    registry = await startHttps(cert, (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"name":"left-pad","from":"stand-in registry"}'));
    offList = await startHttps(cert, (_req, res) => res.writeHead(200).end("should never be reached"));
    repo = await makeCrewRepo(
      [
        {
          name: "installer",
          yaml: ["runtime: command", 'command: ["node", "/workspace/probe.mjs"]', "limits:", "  timeout: 2m", "  network:", '    allow: ["preset:packages"]', ""].join("\n"),
        },
      ],
      {
        "probe.mjs": probe(registry.port, offList.port),
        "ca.pem": cert.cert,
        // A repository's own package-tool configuration and code: resolving the preset in its folder must not read or run them.
        ".npmrc": "@evil:registry=https://evil.registry.test/\n",
        "package.json": "{}\n",
        "pip/__init__.py": "open(__file__ + '.ran', 'w').write('ran')\n",
        "bin/npm": "#!/bin/sh\necho ran > \"$(dirname \"$0\")/npm.ran\"\n",
      },
    );
    chmodSync(join(repo, "bin", "npm"), 0o755);
    home = tempHome();
    // The host's npm is configured with the stand-in registry; the runner's gateway reads that configuration.
    env = { ...process.env, GITCREW_HOME: home, npm_config_registry: `https://localhost:${registry.port}/` };
    delete env.GITCREW_PRESET_PACKAGES;
    runner = await Runner.start({ env, gateway: { allowInternal: ["127.0.0.0/8"], ca: cert.cert } });
  }, 180_000);

  afterAll(async () => {
    await runner?.close();
    await registry?.close();
    await offList?.close();
    cert?.cleanup();
    if (repo) rmSync(repo, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("reaches the registry the host's npm uses, and is refused a host no package tool names", async () => {
    const { agent } = await loadAgent(repo, "installer");
    const { result, logs } = await runOnce(runner, repo, agent, "install");
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
    const steps = Object.fromEntries(logs.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { step: string }).map((o) => [o.step, o]));
    expect(steps.registry).toEqual({ step: "registry", status: 200, body: '{"name":"left-pad","from":"stand-in registry"}' });
    expect(registry.requests.map((r) => r.url)).toContain("/left-pad");
    expect(steps["off-list"]).toEqual({ step: "off-list", status: 403 });
    expect(offList.requests).toEqual([]);
    expect(result.gateway?.refusals).toEqual([expect.objectContaining({ kind: "egress", host: "localhost", port: offList.port })]);
  }, 180_000);

  it("validate and dry-run show what preset:packages opens on this machine", async () => {
    // Run from the repository's folder, as the Action does, with a relative PATH entry into it first.
    const cli = (args: string[]) => exec(process.execPath, [BIN, ...args], { cwd: repo, env: { ...env, PATH: `bin:${env.PATH ?? ""}` }, maxBuffer: 16 * 1024 * 1024 });
    const v = await cli(["validate"]);
    expect(v.stdout).toMatch(new RegExp(`preset:packages on this machine: [^\\n]*localhost:${registry.port} \\(npm\\)`));
    const vj = JSON.parse((await cli(["validate", "--json"])).stdout) as { presets: { packages: { hosts: string[]; sources: { tool: string; hosts: string[] }[] } } };
    expect(vj.presets.packages.sources).toContainEqual({ tool: "npm", hosts: [`localhost:${registry.port}`] });
    expect(vj.presets.packages.hosts).toContain(`localhost:${registry.port}`);
    const d = await cli(["dry-run", "--comment", "@installer install", "--permission", "write"]);
    expect(d.stdout).toMatch(new RegExp(`note: preset:packages on this machine: [^\\n]*localhost:${registry.port} \\(npm\\)`));
    // The repository's .npmrc was not read, its pip/ not imported, its bin/npm not run.
    expect(`${v.stdout}${d.stdout}`).not.toContain("evil.registry.test");
    expect(existsSync(join(repo, "pip", "__init__.py.ran"))).toBe(false);
    expect(existsSync(join(repo, "bin", "npm.ran"))).toBe(false);
  }, 120_000);
});
