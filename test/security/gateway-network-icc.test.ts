/**
 * Runs on the gateway's network must not reach each other: gitcrew makes that
 * network with `enable_icc=false`. A network it finds already made (the
 * operator's, named by GITCREW_GATEWAY_NETWORK, made with `docker network
 * create --internal`, whose default lets containers talk) was taken with only
 * `Internal` checked: one run's prompt-injected agent could then connect to
 * whatever another run's container listens on, across agents and repositories.
 *
 * Real Docker engine. What the operator sees: the runner refuses such a
 * network with why and what to do (the egress network already did). On the
 * code before the fix the gateway started on it.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDocker } from "../../src/runner/engine.js";
import { firewallChain } from "../../src/runner/host-firewall.js";
import { startRunGateway, type RunGateway } from "../../src/runner/run-gateway.js";
import { requireDockerAndImage } from "../support/runner-harness.js";

const tag = `${process.pid}-${Date.now().toString(36)}`;
const open = `gitcrew-icc-open-${tag}`;

function cleanNetwork(network: string): void {
  const bridge = (() => {
    try {
      return `br-${execFileSync("docker", ["network", "inspect", "-f", "{{.Id}}", network], { encoding: "utf8" }).trim().slice(0, 12)}`;
    } catch {
      return undefined;
    }
  })();
  const chain = firewallChain(network);
  for (const args of [...(bridge ? [["-D", "INPUT", "-i", bridge, "-j", chain]] : []), ["-F", chain], ["-X", chain]]) {
    try {
      execFileSync("iptables", ["-w", ...args], { stdio: "ignore" });
    } catch {
      // not made (refused before the firewall), or gone
    }
  }
  try {
    execFileSync("docker", ["network", "rm", network], { stdio: "ignore" });
  } catch {
    // not made
  }
}

describe("the gateway's network lets no run reach another", () => {
  beforeAll(async () => {
    await requireDockerAndImage();
    // As an operator would make one: internal, and nothing said about inter-container traffic.
    execFileSync("docker", ["network", "create", "--internal", open], { stdio: "ignore" });
  });

  afterAll(() => cleanNetwork(open));

  it("an existing network whose containers may talk to each other is refused, with what to do", async () => {
    const docker = await connectDocker(process.env);
    let started: RunGateway | undefined;
    const outcome = await startRunGateway(docker, { ...process.env, GITCREW_GATEWAY_NETWORK: open }).then(
      (rg) => {
        started = rg;
        return undefined;
      },
      (err: Error & { hint?: string }) => err,
    );
    await started?.close();
    expect(outcome?.message).toBe(`the Docker network ${open} lets its containers talk to each other (enable_icc): one run's agent could reach another's`);
    expect(outcome?.hint).toContain("com.docker.network.bridge.enable_icc=false");
  });
});
