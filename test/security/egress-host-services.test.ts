/**
 * A prompt-injected agent with unrestricted egress (`limits.network:
 * "egress"`, allowed by crew.cue's ceilings) tries a host service listening
 * on all addresses (like sshd or a database) through every address of the
 * host: docker0's, its own network's bridge address, the LAN's. Each must
 * refuse it at once and the service must see no client, while the same run
 * still reaches a service beyond the host (a network namespace routed
 * through the host: forwarded and NATed, not delivered to it) and resolves
 * names through Docker's embedded DNS. Real Docker engine, real iptables, as
 * root (the runner edits the rules itself).
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { egressChain } from "../../src/runner/host-firewall.js";
import { Runner } from "../../src/runner/runner.js";
import { EGRESS_CREW_CUE, EGRESS_PROBER_YAML, egressProbeScript, hostIPv4Addresses, type Outside, removeEgressNetwork, startOutside } from "../support/egress-probe.js";
import { hostService, probeSteps } from "../support/host-service-probe.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";
import { makeCrewRepo } from "../support/runner-repo.js";

const iptables = (...args: string[]) => execFileSync("iptables", ["-w", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

describe("an egress run cannot reach the host's own services, and still reaches beyond the host (real Docker engine, iptables)", () => {
  let service: { server: net.Server; port: number; seen: string[] };
  let outside: Outside;
  let repo: string;
  let home: string;
  let runner: Runner;
  const tag = String(process.pid % 100000);
  const network = `gitcrew-egress-t${tag}`;
  const hostAddrs: string[] = [];

  beforeAll(async () => {
    await requireDockerAndImage();
    if (process.getuid?.() !== 0) throw new Error("this test needs root (it makes a network namespace and reads iptables); run it as root");
    service = await hostService();
    outside = await startOutside(tag);
    // docker0's address in particular (where the default `bridge` puts egress runs; listed even while its link is down), then every other.
    const docker0 = docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", "bridge");
    hostAddrs.push(...new Set([docker0, outside.hostSide, ...hostIPv4Addresses()]));
    repo = await makeCrewRepo([{ name: "egress-prober", yaml: EGRESS_PROBER_YAML }], {
      ".gitcrew/crew.cue": EGRESS_CREW_CUE,
      "egress-probe.mjs": egressProbeScript(service.port, hostAddrs, outside),
    });
    home = tempHome();
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home, GITCREW_EGRESS_NETWORK: network } });
  }, 180_000);

  afterAll(async () => {
    await runner?.close();
    await new Promise((r) => service?.server.close(r));
    await outside?.stop();
    removeEgressNetwork(network);
    if (repo) rmSync(repo, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("is refused by the host service on every host address, reaches the outside service and resolves names", async () => {
    const { agent } = await loadAgent(repo, "egress-prober");
    expect(agent.limits.network).toBe("egress");
    const { result, logs } = await runOnce(runner, repo, agent, "probe");
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
    const steps = probeSteps(logs);
    const all = logs.join("\n");

    // The host service: refused at once (a reset, not a timeout) on the bridge's address and on every other host address.
    for (const host of [String(steps.where?.gateway), ...hostAddrs]) {
      expect(steps[`service ${host}`], `${host}\n${all}`).toMatchObject({ ok: false, code: "ECONNREFUSED" });
    }
    expect(service.seen).toEqual([]);

    // Beyond the host: connected and greeted, the client seen as the host's address on that link (forwarded and masqueraded).
    expect(steps.outside, all).toMatchObject({ ok: true, greeting: "outside-greeting\n" });
    expect(outside.seen).toEqual([outside.hostSide]);

    // Names: Docker's embedded DNS inside the namespace answers (it never crosses the host's INPUT).
    expect(steps.dns, all).toMatchObject({ ok: true, nameserver: "127.0.0.11", addresses: [steps.where!.address] });

    // The run's namespace (its holder's) sits on gitcrew's egress network, not on docker0.
    const gateway = docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", network);
    expect(steps.where, all).toMatchObject({ gateway });

    // The bridge's chain is REJECTs only, and INPUT from the bridge jumps to it.
    const chain = egressChain(network);
    const bridge = `br-${docker("network", "inspect", "-f", "{{.Id}}", network).slice(0, 12)}`;
    expect(iptables("-S", chain).split("\n").filter(Boolean)).toEqual([
      `-N ${chain}`,
      `-A ${chain} -p tcp -j REJECT --reject-with tcp-reset`,
      `-A ${chain} -j REJECT --reject-with icmp-port-unreachable`,
    ]);
    expect(iptables("-S", "INPUT").split("\n").filter((r) => r.includes(`-j ${chain}`))).toEqual([`-A INPUT -i ${bridge} -j ${chain}`]);
    // What gitcrew made: a routed bridge, no traffic between its containers, no IPv6.
    const made = JSON.parse(docker("network", "inspect", network)) as { Internal: boolean; EnableIPv6: boolean; Options: Record<string, string> }[];
    expect(made[0]).toMatchObject({ Internal: false, EnableIPv6: false, Options: { "com.docker.network.bridge.enable_icc": "false" } });
  }, 180_000);

  it("uses the operator's GITCREW_DOCKER_NETWORK as it is, and says once that its host exposure is the operator's", async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const operators = await Runner.start({ env: { ...process.env, GITCREW_HOME: home, GITCREW_DOCKER_NETWORK: "bridge" } });
    try {
      const { agent } = await loadAgent(repo, "egress-prober");
      const { result, logs } = await runOnce(operators, repo, agent, "probe");
      expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
      // On Docker's default bridge, as the operator asked: its gateway is docker0's address.
      const docker0 = docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", "bridge");
      expect(probeSteps(logs).where, logs.join("\n")).toMatchObject({ gateway: docker0 });
    } finally {
      spy.mockRestore();
      await operators.close();
    }
    expect(writes.filter((w) => w.includes("GITCREW_DOCKER_NETWORK"))).toEqual([
      "gitcrew: warning: GITCREW_DOCKER_NETWORK=bridge: egress runs use that network as it is; gitcrew does not close the host's own services to it (docs/runner.md)\n",
    ]);
  }, 180_000);
});
