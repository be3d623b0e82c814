/**
 * The same attack as gateway-host-services.test.ts, against the common
 * self-hosted setup: the runner is a normal user in the docker group, so it
 * cannot run iptables itself. A prompt-injected agent tries a host service
 * listening on 0.0.0.0 through the host's address on the gateway network's
 * bridge; the service must refuse it at once while the gateway's port
 * answers, and the runner's port rule must be gone once `gitcrew run` ends.
 * A runner that cannot close the hole at all refuses to run agents on the
 * gateway network unless the operator opts in (GITCREW_ALLOW_OPEN_HOST=1).
 * Real Docker engine, real iptables, the real CLI run as uid 65534.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import type net from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firewallChain } from "../../src/runner/host-firewall.js";
import { hostService, PROBER_YAML, probeScript, probeSteps } from "../support/host-service-probe.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { makeCrewRepo } from "../support/runner-repo.js";

const NOBODY = 65534;
const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "bin", "gitcrew.js");
const iptables = (...args: string[]) => execFileSync("iptables", ["-w", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** setpriv's arguments: uid 65534, the docker socket's group, no capabilities. */
function asNobody(): string[] {
  return [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, `--groups=${statSync("/var/run/docker.sock").gid}`, "--inh-caps=-all"];
}

/** A long-running runner process (like `gitcrew serve`): starts its gateway, prints it, closes it on a line from stdin. */
const GATEWAY_PROCESS = `
import { connectDocker } from "${join(ROOT, "src", "runner", "engine.ts")}";
import { startRunGateway } from "${join(ROOT, "src", "runner", "run-gateway.ts")}";
const rg = await startRunGateway(await connectDocker(process.env), process.env);
console.log(JSON.stringify({ port: rg.gateway.port }));
await new Promise((r) => process.stdin.once("data", r));
await rg.close();
console.log("closed");
process.exit(0);
`;

interface CliRun {
  code: number;
  stderr: string;
  /** The agent's log lines (the CLI's "│ " lines). */
  logs: string[];
}

/** `gitcrew run prober` as uid 65534 with the docker socket's group and no capabilities. */
function runAsNobody(repo: string, home: string, env: Record<string, string>): Promise<CliRun> {
  const args = [...asNobody(), process.execPath, CLI, "run", "prober", "--repo", repo, "--prompt", "probe"];
  const childEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, TMPDIR: join(home, "tmp"), GITCREW_HOME: join(home, "gitcrew"), ...env };
  return new Promise((resolve) => {
    execFile("setpriv", args, { env: childEnv, timeout: 170_000 }, (err, _stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
      const logs = String(stderr).split("\n").filter((l) => l.startsWith("│ ")).map((l) => l.slice(2));
      resolve({ code, stderr: String(stderr), logs });
    });
  });
}

describe("a non-root runner (docker group) closes the host's own services to the gateway network (real Docker engine, iptables)", () => {
  let service: { server: net.Server; port: number; seen: string[] };
  let base: string;
  let repo: string;
  let home: string;
  const networks: string[] = [];
  const tag = `${process.pid}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    await requireDockerAndImage();
    if (process.getuid?.() !== 0) throw new Error("this test needs root (it runs the CLI as uid 65534 and reads iptables); run it as root");
    service = await hostService();
    // Everything the uid-65534 runner touches lives under one folder it owns.
    base = mkdtempSync("/tmp/gitcrew-nonroot-");
    chmodSync(base, 0o755);
    const tmpBefore = process.env.TMPDIR;
    process.env.TMPDIR = base;
    try {
      repo = await makeCrewRepo([{ name: "prober", yaml: PROBER_YAML }], { "probe.mjs": probeScript(service.port) });
    } finally {
      if (tmpBefore === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpBefore;
    }
    home = join(base, "home");
    mkdirSync(join(home, "tmp"), { recursive: true });
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, base]);
    chownSync(base, 0, 0);
  }, 180_000);

  afterAll(async () => {
    await new Promise((r) => service?.server.close(r));
    for (const network of networks) {
      const chain = firewallChain(network);
      const bridge = (() => {
        try {
          return `br-${execFileSync("docker", ["network", "inspect", "-f", "{{.Id}}", network], { encoding: "utf8" }).trim().slice(0, 12)}`;
        } catch {
          return undefined;
        }
      })();
      for (const args of [...(bridge ? [["-D", "INPUT", "-i", bridge, "-j", chain]] : []), ["-F", chain], ["-X", chain]]) {
        try {
          iptables(...args);
        } catch {
          // not made (the refused run) or already gone
        }
      }
      try {
        execFileSync("docker", ["network", "rm", network], { stdio: "ignore" });
      } catch {
        // not made
      }
    }
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("refuses the host service, reaches the gateway, and removes its port rule when the CLI ends", async () => {
    const network = `gitcrew-gw-nonroot-${tag}`;
    networks.push(network);
    const out = await runAsNobody(repo, home, { GITCREW_GATEWAY_NETWORK: network });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).not.toContain("reachable from agent containers");
    const steps = probeSteps(out.logs);

    // The host service: refused at once (a reset, not a timeout), and it saw no client.
    expect(steps.service, out.stderr).toMatchObject({ ok: false, code: "ECONNREFUSED" });
    expect(service.seen).toEqual([]);
    // The gateway on the same address: it answers HTTP.
    expect(steps.gateway, out.stderr).toMatchObject({ ok: true });

    // After the process ended: the chain, its REJECTs and one jump stay; no ACCEPT of its port is left.
    const chain = firewallChain(network);
    const rules = iptables("-S", chain).split("\n").filter(Boolean);
    expect(rules.filter((r) => r.includes(`--dport ${Number(steps.gateway!.port)} `))).toEqual([]);
    expect(rules.filter((r) => r.includes("-j REJECT"))).toEqual([`-A ${chain} -p tcp -j REJECT --reject-with tcp-reset`, `-A ${chain} -j REJECT --reject-with icmp-port-unreachable`]);
    expect(iptables("-S", "INPUT").split("\n").filter((r) => r.includes(`-j ${chain}`))).toHaveLength(1);
  }, 180_000);

  it("a long-running runner's port rule is there while its gateway is open and gone once it closes", async () => {
    const network = `gitcrew-gw-nonroot-c-${tag}`;
    networks.push(network);
    const script = join(base, "gateway-process.mts");
    writeFileSync(script, GATEWAY_PROCESS);
    const child = spawn("setpriv", [...asNobody(), process.execPath, "--import", "tsx", script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, TMPDIR: join(home, "tmp"), GITCREW_HOME: join(home, "gitcrew"), GITCREW_GATEWAY_NETWORK: network },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const line = (want: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = want.exec(stdout);
          if (m) resolve(m[0]);
        };
        child.stdout.on("data", (c: Buffer) => {
          stdout += c.toString();
          check();
        });
        child.once("exit", (code) => reject(new Error(`the gateway process exited (${code}): ${stderr}`)));
        check();
      });
    const { port } = JSON.parse(await line(/\{"port":\d+\}/)) as { port: number };
    const chain = firewallChain(network);
    const accepts = () => iptables("-S", chain).split("\n").filter((r) => r.includes(`--dport ${port} -j ACCEPT`));
    expect(accepts(), stderr).toHaveLength(1);
    child.stdin.write("close\n");
    await line(/closed/);
    await new Promise((r) => child.once("exit", r));
    expect(accepts()).toEqual([]);
    expect(iptables("-S", chain)).toContain(`-A ${chain} -p tcp -j REJECT --reject-with tcp-reset`);
  }, 180_000);

  it("refuses to run when it cannot close them, and runs with them open only when the operator opts in", async () => {
    // No image to run iptables with: the engine path cannot close the hole either.
    const broken = { GITCREW_FIREWALL_IMAGE: "gitcrew/no-such-image:none" };
    const refusedNet = `gitcrew-gw-nonroot-r-${tag}`;
    networks.push(refusedNet);
    const refused = await runAsNobody(repo, home, { ...broken, GITCREW_GATEWAY_NETWORK: refusedNet });
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain("gitcrew cannot close the host's own services (sshd, databases, anything listening on 0.0.0.0) to agent containers");
    // Why, and what to do.
    expect(refused.stderr).toContain("the runner is not root");
    expect(refused.stderr).toContain("gitcrew/no-such-image:none (GITCREW_FIREWALL_IMAGE) is not present");
    expect(refused.stderr).toContain("GITCREW_ALLOW_OPEN_HOST=1");
    expect(refused.logs).toEqual([]);

    const openNet = `gitcrew-gw-nonroot-o-${tag}`;
    networks.push(openNet);
    const open = await runAsNobody(repo, home, { ...broken, GITCREW_GATEWAY_NETWORK: openNet, GITCREW_ALLOW_OPEN_HOST: "1" });
    expect(open.code, open.stderr).toBe(0);
    expect(open.stderr).toContain("gitcrew: warning: GITCREW_ALLOW_OPEN_HOST=1: host services listening on 0.0.0.0 are reachable from agent containers (the runner is not root;");
    // What the warning says is true: the service greets the agent.
    expect(probeSteps(open.logs).service, open.stderr).toMatchObject({ ok: true, greeting: "host-service-greeting\n" });
  }, 360_000);
});
