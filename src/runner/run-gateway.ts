/**
 * The run gateway of one runner process: an internal Docker network (no
 * route out, no inter-container traffic) and the gateway listening on the
 * host's address on that network's bridge, the only address its containers
 * reach. Started on the first run that needs it; one per process.
 */
import type Docker from "dockerode";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import type { BudgetLedger, Gateway, GatewayOptions, ProviderName } from "../gateway/index.js";
import { packageRegistryHosts } from "../gateway/registry-hosts.js";
import { EnvironmentError, errorMessage } from "../util/errors.js";
import { ensureNetwork, ICC } from "./docker-network.js";
import { guardBridge, OPEN_HOST, OPEN_HOST_HINT, warnOpenHost } from "./host-firewall.js";
import { RememberedRefusals } from "./remembered-refusals.js";

export interface RunGatewayOptions {
  /** Shared caps (per agent per day, per thread); in memory unless given (the store's ledger). */
  ledger?: BudgetLedger;
  /** Passed to the gateway as is (tests: allowInternal, upstreams, presets). */
  gateway?: GatewayOptions;
}

export interface RunGateway {
  gateway: Gateway;
  /** Docker network the run's container joins. */
  network: string;
  /** The gateway's address as the container sees it (the bridge's host address). */
  host: string;
  /**
   * A run's allowlist with `preset:packages` replaced by the registries this
   * host's package tools use (resolved on the first run that names it, then
   * kept for the gateway's life) plus GITCREW_PRESET_PACKAGES.
   */
  resolveAllow(allow: string[]): Promise<string[]>;
  /** Stops the gateway and removes its port from the host firewall. */
  close(): Promise<void>;
}

const UPSTREAM_ENV: Record<ProviderName, string[]> = {
  // The runtime's own base-URL variable in the runner's environment (a proxy or a test server) is the gateway's upstream.
  anthropic: ["GITCREW_ANTHROPIC_UPSTREAM", "ANTHROPIC_BASE_URL"],
  openai: ["GITCREW_OPENAI_UPSTREAM"],
  gemini: ["GITCREW_GEMINI_UPSTREAM", "GOOGLE_GEMINI_BASE_URL"],
};

const PACKAGES = "preset:packages";
/** This process's refusals to start for want of a host firewall, asked again after a while. */
const refusals = new RememberedRefusals();

/** The network's name: one per host user, reused by every runner process of that user. */
export function gatewayNetworkName(env: NodeJS.ProcessEnv): string {
  if (env.GITCREW_GATEWAY_NETWORK) return env.GITCREW_GATEWAY_NETWORK;
  const who = `${hostname()}\0${safeUser()}`;
  return `gitcrew-gw-${createHash("sha256").update(who).digest("hex").slice(0, 12)}`;
}

function safeUser(): string {
  try {
    return String(userInfo().uid);
  } catch {
    return "user";
  }
}

/** Creates (or reuses) the internal network and starts the gateway on its bridge address. */
export async function startRunGateway(docker: Docker, env: NodeJS.ProcessEnv, opts: RunGatewayOptions = {}): Promise<RunGateway> {
  const network = gatewayNetworkName(env);
  const refusalKey = JSON.stringify([network, env.GITCREW_FIREWALL_IMAGE ?? ""]);
  if (env.GITCREW_ALLOW_OPEN_HOST !== "1") refusals.check(refusalKey);
  const { host, bridge, ipv6 } = await bridgeAddress(docker, network);
  const upstreams: Partial<Record<ProviderName, string>> = {};
  for (const [provider, names] of Object.entries(UPSTREAM_ENV) as [ProviderName, string[]][]) {
    const set = names.map((n) => env[n]).find((v) => v);
    if (set) upstreams[provider] = set;
  }
  const allowInternal = (env.GITCREW_GATEWAY_ALLOW_INTERNAL ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const extraPackages = (env.GITCREW_PRESET_PACKAGES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const ca = env.GITCREW_GATEWAY_CA_FILE ? readFileSync(env.GITCREW_GATEWAY_CA_FILE) : undefined;
  const o = opts.gateway ?? {};
  // The gateway's code (with its price database, ~0.8 MB) loads with the first run that needs it:
  // a `command` agent's runner never parses it (its own chunk in the Action's dist/).
  const { startGateway } = await import("../gateway/index.js");
  let gateway: Gateway;
  try {
    gateway = await startGateway({
      ...o,
      host,
      port: Number(env.GITCREW_GATEWAY_PORT) || 0,
      upstreams: { ...upstreams, ...o.upstreams },
      ledger: opts.ledger ?? o.ledger,
      allowInternal: [...allowInternal, ...(o.allowInternal ?? [])],
      presets: o.presets,
      ...(ca || o.ca ? { ca: o.ca ?? ca } : {}),
    });
  } catch (err) {
    throw new EnvironmentError(`the run gateway cannot listen on ${host} (the bridge of Docker network ${network}): ${errorMessage(err)}`, "the runner must run on the Docker engine's host (its network namespace); see docs/runner.md");
  }
  // Never the reason a `gitcrew run` process stays alive.
  gateway.unref();
  const firewall = await guardBridge(docker, env, { network, bridge, host, port: gateway.port, ...(ipv6 ? { ipv6: { host: ipv6 } } : {}) });
  if (!firewall.closed) {
    if (env.GITCREW_ALLOW_OPEN_HOST !== "1") {
      await gateway.close();
      throw refusals.remember(refusalKey, new EnvironmentError(`${OPEN_HOST} (${firewall.why})`, OPEN_HOST_HINT));
    }
    warnOpenHost(firewall.why ?? "");
  }
  let packages: Promise<string[]> | undefined;
  return {
    gateway,
    network,
    host,
    resolveAllow: async (allow) => {
      if (!allow.includes(PACKAGES) || o.presets?.packages) return allow;
      packages ??= packageRegistryHosts({ env }).then((r) => [...r.hosts, ...extraPackages]);
      const hosts = await packages;
      return [...new Set(allow.flatMap((a) => (a === PACKAGES ? hosts : [a])))];
    },
    close: async () => {
      await gateway.close();
      await firewall.close();
    },
  };
}

/**
 * The host's address on the network's bridge. `Internal` drops forwarding
 * out of the bridge, not packets to the host's own address on it, so the
 * containers reach the gateway there and nothing beyond. `enable_icc=false`:
 * two runs' containers cannot talk to each other. The host's other
 * services on that address are closed by host-firewall.ts.
 */
async function bridgeAddress(docker: Docker, name: string): Promise<{ host: string; bridge: string; ipv6?: string }> {
  const info = await ensureNetwork(docker, name, { internal: true, labels: { "gitcrew.gateway-network": "1" } });
  if (info.Internal !== true) throw new EnvironmentError(`the Docker network ${name} is not internal (it has a route out)`, `remove it (docker network rm ${name}) and let gitcrew create it`);
  // A network made elsewhere (GITCREW_GATEWAY_NETWORK, `docker network create --internal`) lets its containers reach each other by default.
  if (info.Options?.[ICC] !== "false") {
    throw new EnvironmentError(`the Docker network ${name} lets its containers talk to each other (enable_icc): one run's agent could reach another's`, `remove it (docker network rm ${name}) and let gitcrew create it, or create it with -o ${ICC}=false`);
  }
  const gw = info.IPAM?.Config?.map((c) => c.Gateway).find((g) => g && !g.includes(":"));
  if (!gw) throw new EnvironmentError(`the Docker network ${name} has no IPv4 gateway address`, `remove it (docker network rm ${name}) and let gitcrew create it`);
  const bridge = info.Options?.["com.docker.network.bridge.name"] || `br-${info.Id.slice(0, 12)}`;
  // gitcrew's own network has no IPv6; one given by GITCREW_GATEWAY_NETWORK may.
  const v6 = info.EnableIPv6 ? info.IPAM?.Config?.map((c) => c.Gateway).find((g) => g?.includes(":")) : undefined;
  return { host: gw, bridge, ...(v6 ? { ipv6: v6 } : {}) };
}
