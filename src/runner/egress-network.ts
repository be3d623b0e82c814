/**
 * The network of `limits.network: "egress"` runs. Unrestricted egress means
 * the world beyond the host, not the runner's host: on Docker's default
 * `bridge` every host service on 0.0.0.0 (sshd, a database, `gitcrew serve`)
 * answers on docker0's address. So egress runs go on a network of gitcrew's
 * own, `gitcrew-egress` (GITCREW_EGRESS_NETWORK names another): a normal
 * bridge with a route out (forwarded and masqueraded by Docker), no traffic
 * between its containers, no IPv6, and its bridge sealed by host-firewall.ts
 * (every connection from it to any of the host's addresses is rejected).
 * Docker's embedded DNS (127.0.0.11) lives inside the container's own network
 * namespace, so names still resolve. A runner that cannot seal it refuses
 * egress runs unless GITCREW_ALLOW_OPEN_HOST=1.
 *
 * GITCREW_DOCKER_NETWORK is the operator's explicit choice: used as is, its
 * host exposure is the operator's (said once on stderr).
 */
import type Docker from "dockerode";
import { EnvironmentError } from "../util/errors.js";
import { ensureNetwork, ICC } from "./docker-network.js";
import { OPEN_HOST, OPEN_HOST_HINT, sealBridge, warnOpenHost } from "./host-firewall.js";
import { RememberedRefusals } from "./remembered-refusals.js";

export const EGRESS_NETWORK = "gitcrew-egress";
let warnedOperator = false;
/** This process's refusals of egress runs for want of a host firewall, asked again after a while. */
const refusals = new RememberedRefusals();

/** gitcrew's own egress network's name. */
export function egressNetworkName(env: NodeJS.ProcessEnv): string {
  return env.GITCREW_EGRESS_NETWORK || EGRESS_NETWORK;
}

/** The network an egress run's holder joins, made and sealed first; throws EnvironmentError when it cannot be sealed. */
export async function prepareEgressNetwork(docker: Docker, env: NodeJS.ProcessEnv): Promise<string> {
  const operators = env.GITCREW_DOCKER_NETWORK;
  if (operators) {
    if (!warnedOperator) {
      warnedOperator = true;
      process.stderr.write(`gitcrew: warning: GITCREW_DOCKER_NETWORK=${operators}: egress runs use that network as it is; gitcrew does not close the host's own services to it (docs/runner.md)\n`);
    }
    return operators;
  }
  const network = egressNetworkName(env);
  const refusalKey = JSON.stringify([network, env.GITCREW_FIREWALL_IMAGE ?? ""]);
  if (env.GITCREW_ALLOW_OPEN_HOST !== "1") refusals.check(refusalKey);
  const { bridge, host } = await egressBridge(docker, network);
  const sealed = await sealBridge(docker, env, { network, bridge, host });
  if (!sealed.closed) {
    if (env.GITCREW_ALLOW_OPEN_HOST !== "1") throw refusals.remember(refusalKey, new EnvironmentError(`${OPEN_HOST} (${sealed.why})`, OPEN_HOST_HINT));
    warnOpenHost(sealed.why ?? "");
  }
  return network;
}

/** Makes the network when missing; checks one found is what gitcrew would make. */
async function egressBridge(docker: Docker, name: string): Promise<{ bridge: string; host: string }> {
  const info = await ensureNetwork(docker, name, { internal: false, labels: { "gitcrew.egress-network": "1" } });
  const fix = `remove it (docker network rm ${name}) and let gitcrew create it`;
  const wrong = (what: string) => new EnvironmentError(`the Docker network ${name} (for egress runs) ${what}`, fix);
  if (info.Driver !== "bridge") throw wrong(`is not a bridge network (driver ${info.Driver ?? "unknown"})`);
  if (info.Internal === true) throw wrong("is internal (no route out)");
  // The seal is IPv4 only: an IPv6 address on the bridge would be a way to the host around it.
  if (info.EnableIPv6) throw wrong("has IPv6");
  if (info.Options?.[ICC] !== "false") throw wrong("lets its containers talk to each other (enable_icc)");
  const host = info.IPAM?.Config?.map((c) => c.Gateway).find((g) => g && !g.includes(":"));
  if (!host) throw wrong("has no IPv4 gateway address");
  const bridge = info.Options?.["com.docker.network.bridge.name"] || `br-${info.Id.slice(0, 12)}`;
  return { bridge, host };
}
