/**
 * The same attack as egress-host-services.test.ts, with the runner a normal
 * user in the docker group (it cannot run iptables itself): the egress
 * network's bridge is sealed through the Docker engine, so an agent with
 * unrestricted egress is refused by a host service on 0.0.0.0 through
 * docker0's and its bridge's addresses and still reaches beyond the host. A
 * runner that cannot seal it refuses egress runs unless the operator opts in
 * (GITCREW_ALLOW_OPEN_HOST=1). Real Docker engine, real iptables, the real
 * CLI run as uid 65534.
 */
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import type net from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { egressChain } from "../../src/runner/host-firewall.js";
import { EGRESS_CREW_CUE, EGRESS_PROBER_YAML, egressProbeScript, type Outside, removeEgressNetwork, startOutside } from "../support/egress-probe.js";
import { hostService, probeSteps } from "../support/host-service-probe.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { makeCrewRepo } from "../support/runner-repo.js";

const NOBODY = 65534;
const CLI = join(__dirname, "..", "..", "bin", "gitcrew.js");
const iptables = (...args: string[]) => execFileSync("iptables", ["-w", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

interface CliRun {
  code: number;
  stderr: string;
  logs: string[];
}

/** `gitcrew run egress-prober` as uid 65534 with the docker socket's group and no capabilities. */
function runAsNobody(repo: string, home: string, env: Record<string, string>): Promise<CliRun> {
  const who = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, `--groups=${statSync("/var/run/docker.sock").gid}`, "--inh-caps=-all"];
  const args = [...who, process.execPath, CLI, "run", "egress-prober", "--repo", repo, "--prompt", "probe"];
  const childEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, TMPDIR: join(home, "tmp"), GITCREW_HOME: join(home, "gitcrew"), ...env };
  return new Promise((resolve) => {
    execFile("setpriv", args, { env: childEnv, timeout: 170_000 }, (err, _stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
      const logs = String(stderr).split("\n").filter((l) => l.startsWith("│ ")).map((l) => l.slice(2));
      resolve({ code, stderr: String(stderr), logs });
    });
  });
}

describe("a non-root runner (docker group) seals the egress network's bridge through the engine (real Docker engine, iptables)", () => {
  let service: { server: net.Server; port: number; seen: string[] };
  let outside: Outside;
  let docker0: string;
  let base: string;
  let repo: string;
  let home: string;
  const tag = String((process.pid + 1) % 100000);
  const networks: string[] = [];

  beforeAll(async () => {
    await requireDockerAndImage();
    if (process.getuid?.() !== 0) throw new Error("this test needs root (it runs the CLI as uid 65534, makes a network namespace and reads iptables); run it as root");
    service = await hostService();
    outside = await startOutside(tag);
    docker0 = docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", "bridge");
    base = mkdtempSync("/tmp/gitcrew-nonroot-egress-");
    chmodSync(base, 0o755);
    const tmpBefore = process.env.TMPDIR;
    process.env.TMPDIR = base;
    try {
      repo = await makeCrewRepo([{ name: "egress-prober", yaml: EGRESS_PROBER_YAML }], {
        ".gitcrew/crew.cue": EGRESS_CREW_CUE,
        "egress-probe.mjs": egressProbeScript(service.port, [docker0], outside),
      });
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
    await outside?.stop();
    for (const network of networks) removeEgressNetwork(network);
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("refuses the host service through docker0's and the bridge's address and reaches beyond the host", async () => {
    const network = `gitcrew-egress-n${tag}`;
    networks.push(network);
    const out = await runAsNobody(repo, home, { GITCREW_EGRESS_NETWORK: network });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).not.toContain("reachable from agent containers");
    const steps = probeSteps(out.logs);
    const gateway = String(steps.where?.gateway);

    for (const host of [gateway, docker0]) {
      expect(steps[`service ${host}`], `${host}\n${out.stderr}`).toMatchObject({ ok: false, code: "ECONNREFUSED" });
    }
    expect(service.seen).toEqual([]);
    expect(steps.outside, out.stderr).toMatchObject({ ok: true, greeting: "outside-greeting\n" });

    // Installed through the engine (the runner could not): the sealed chain, and INPUT from the bridge jumping to it.
    expect(gateway).toBe(docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", network));
    const chain = egressChain(network);
    expect(iptables("-S", chain).split("\n").filter((r) => r.startsWith("-A"))).toEqual([`-A ${chain} -p tcp -j REJECT --reject-with tcp-reset`, `-A ${chain} -j REJECT --reject-with icmp-port-unreachable`]);
    expect(iptables("-S", "INPUT").split("\n").filter((r) => r.includes(`-j ${chain}`))).toHaveLength(1);
  }, 180_000);

  it("refuses egress runs when it cannot seal the bridge, and runs them open only when the operator opts in", async () => {
    const broken = { GITCREW_FIREWALL_IMAGE: "gitcrew/no-such-image:none" };
    const refusedNet = `gitcrew-egress-r${tag}`;
    networks.push(refusedNet);
    const refused = await runAsNobody(repo, home, { ...broken, GITCREW_EGRESS_NETWORK: refusedNet });
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain("gitcrew cannot close the host's own services (sshd, databases, anything listening on 0.0.0.0) to agent containers");
    expect(refused.stderr).toContain("the runner is not root");
    expect(refused.stderr).toContain("GITCREW_ALLOW_OPEN_HOST=1");
    expect(refused.logs).toEqual([]);

    const openNet = `gitcrew-egress-o${tag}`;
    networks.push(openNet);
    const open = await runAsNobody(repo, home, { ...broken, GITCREW_EGRESS_NETWORK: openNet, GITCREW_ALLOW_OPEN_HOST: "1" });
    expect(open.code, open.stderr).toBe(0);
    expect(open.stderr).toContain("gitcrew: warning: GITCREW_ALLOW_OPEN_HOST=1: host services listening on 0.0.0.0 are reachable from agent containers (the runner is not root;");
    // What the warning says is true: the service greets the agent through its bridge's address.
    const steps = probeSteps(open.logs);
    expect(steps[`service ${String(steps.where?.gateway)}`], open.stderr).toMatchObject({ ok: true, greeting: "host-service-greeting\n" });
  }, 360_000);
});
