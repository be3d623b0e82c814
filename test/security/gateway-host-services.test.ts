/**
 * A prompt-injected agent on the gateway network tries to reach a host
 * service listening on all addresses (like sshd, `gitcrew serve` or a
 * database) through the host's address on the bridge, the same address the
 * gateway listens on. The service must refuse it at once (the host firewall
 * rejects it) while the gateway's port stays reachable; when the runner
 * closes, its port's ACCEPT rule goes and the rest of the chain stays.
 * Real Docker engine, real iptables, as root.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firewallChain } from "../../src/runner/host-firewall.js";
import { gatewayNetworkName } from "../../src/runner/run-gateway.js";
import { Runner } from "../../src/runner/runner.js";
import { makeCrewRepo } from "../support/runner-repo.js";
import { PROBER_YAML, probeScript, probeSteps } from "../support/host-service-probe.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const iptables = (...args: string[]) => execFileSync("iptables", ["-w", ...args], { encoding: "utf8" });

describe("a run on the gateway network cannot reach the host's own services (real Docker engine, iptables)", () => {
  let service: net.Server;
  let servicePort: number;
  let repo: string;
  let home: string;
  let runner: Runner;
  const seen: string[] = [];

  beforeAll(async () => {
    await requireDockerAndImage();
    if (process.getuid?.() !== 0) throw new Error("this test needs root (it checks the runner's iptables rules); run it as root");
    // A host service on all addresses, as sshd or a database would be.
    service = net.createServer((s) => {
      seen.push(String(s.remoteAddress));
      s.end("host-service-greeting\n");
    });
    await new Promise<void>((r) => service.listen(0, "0.0.0.0", r));
    servicePort = (service.address() as net.AddressInfo).port;
    repo = await makeCrewRepo(
      [{ name: "prober", yaml: PROBER_YAML }],
      { "probe.mjs": probeScript(servicePort) },
    );
    home = tempHome();
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
  }, 180_000);

  afterAll(async () => {
    await runner?.close();
    await new Promise((r) => service?.close(r));
    if (repo) rmSync(repo, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("is refused by the host service's port, reaches the gateway's, and leaves no rule of its port behind", async () => {
    const { agent } = await loadAgent(repo, "prober");
    const { result, logs } = await runOnce(runner, repo, agent, "probe");
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
    const steps = probeSteps(logs);

    // The host service: refused at once (a reset, not a timeout), and it saw no client.
    expect(steps.service, logs.join("\n")).toMatchObject({ ok: false, code: "ECONNREFUSED" });
    expect(seen).toEqual([]);
    // The gateway on the same address: it answers HTTP.
    expect(steps.gateway, logs.join("\n")).toMatchObject({ ok: true });

    const chain = firewallChain(gatewayNetworkName({ ...process.env, GITCREW_HOME: home }));
    const gatewayPort = Number(steps.gateway!.port);
    const rules = () => iptables("-S", chain).split("\n").filter(Boolean);
    const accepts = () => rules().filter((r) => r.includes("-j ACCEPT"));
    const host = String(steps.service!.host);
    const before = accepts();
    expect(before).toContain(`-A ${chain} -d ${host}/32 -p tcp -m tcp --dport ${gatewayPort} -j ACCEPT`);
    // One jump from INPUT, however many runners started.
    expect(iptables("-S", "INPUT").split("\n").filter((r) => r.includes(`-j ${chain}`))).toHaveLength(1);

    await runner.close();
    const after = accepts();
    // This runner's port rule is gone; the REJECTs (and so the closed network) stay.
    expect(after).toHaveLength(before.length - 1);
    expect(after.filter((r) => r.includes(`--dport ${gatewayPort} `))).toEqual([]);
    expect(rules().filter((r) => r.includes("-j REJECT"))).toEqual([`-A ${chain} -p tcp -j REJECT --reject-with tcp-reset`, `-A ${chain} -j REJECT --reject-with icmp-port-unreachable`]);
  }, 180_000);
});
