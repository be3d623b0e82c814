/**
 * Host firewall for the bridges of gitcrew's networks. A packet from a container
 * to the host's address on the bridge is delivered to the host, so without
 * this every host service on 0.0.0.0 (sshd, `gitcrew serve`, a database) is
 * reachable from an agent. INPUT on the bridge jumps to a chain of gitcrew's
 * own that accepts TCP to each live gateway port and rejects everything else
 * (reset / port unreachable, so tools fail fast). The chain, the jump and
 * the final REJECTs stay (the network stays closed between runs); each
 * process adds its own port's ACCEPT and removes it when its gateway closes
 * or the process exits. The egress network's bridge gets a chain of its own
 * that is only the REJECTs (sealBridge): unrestricted egress is the world
 * beyond the host, not the host.
 *
 * Who edits the rules: the runner itself when it is root with iptables,
 * otherwise one container through the Docker engine (firewall-engine.ts).
 * Both run the same fixed script (firewall-script.ts).
 */
import type Docker from "dockerode";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync } from "node:fs";
import { errorMessage } from "../util/errors.js";
import { runThroughEngine, runThroughEngineSync } from "./firewall-engine.js";
import { FIREWALL_OK, FIREWALL_SCRIPT, type FirewallArgs, firewallArgv } from "./firewall-script.js";

export interface HostFirewall {
  /** The host's services are closed to the network's containers. */
  closed: boolean;
  /** Why they are not (closed: false), in words for the operator. */
  why?: string;
  /** How the rules were installed. */
  via?: "iptables" | "engine";
  /** Removes this process's port rule (best effort); the rest stays. */
  close(): Promise<void>;
}

export interface FirewallTarget {
  network: string;
  bridge: string;
  /** The host's address on the bridge and the gateway's port there. */
  host: string;
  port: number;
  /** The network also has IPv6 (gitcrew's own does not). */
  ipv6?: { host: string };
}

const ENV = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" };

/** gitcrew's chain for one gateway network: ≤ 28 characters. */
export function firewallChain(network: string): string {
  return `GITCREW-GW-${hash8(network)}`;
}

/** gitcrew's chain for one egress network (no ACCEPT in it ever). */
export function egressChain(network: string): string {
  return `GITCREW-EG-${hash8(network)}`;
}

function hash8(network: string): string {
  return createHash("sha256").update(network).digest("hex").slice(0, 8).toUpperCase();
}

/** What is said when the host's services stay open, and what the operator can do. */
export const OPEN_HOST = "gitcrew cannot close the host's own services (sshd, databases, anything listening on 0.0.0.0) to agent containers";
export const OPEN_HOST_HINT =
  "run the runner as root, or as a user of a rootful Docker engine that allows --network host with NET_ADMIN; or bind host services to 127.0.0.1; GITCREW_ALLOW_OPEN_HOST=1 runs agents anyway with those services reachable (docs/runner.md)";
let warnedOpen = false;

/** Once per process: the operator chose to run with the host's services open. */
export function warnOpenHost(why: string): void {
  if (warnedOpen) return;
  warnedOpen = true;
  process.stderr.write(`gitcrew: warning: GITCREW_ALLOW_OPEN_HOST=1: host services listening on 0.0.0.0 are reachable from agent containers (${why})\n`);
}

/** Root with the host's iptables on PATH: the runner edits the rules itself. */
function canRunLocally(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0 && ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].some((d) => existsSync(`${d}/iptables`));
}

/** The script run by this process; resolves with its failure, or undefined when it printed its ok. */
function runLocally(argv: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    let table: number | "ignore" = "ignore";
    try {
      table = openSync("/proc/net/tcp", "r");
    } catch {
      // no table: every other gateway's rule is pruned; this one's is inserted anyway
    }
    const child = spawn("/bin/sh", ["-c", FIREWALL_SCRIPT, "gitcrew-firewall", ...argv], { env: ENV, stdio: [table, "pipe", "pipe"], timeout: 60_000 });
    if (typeof table === "number") closeSync(table);
    let out = "";
    child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", (err) => resolve(errorMessage(err)));
    child.on("close", (code) => resolve(code === 0 && out.includes(FIREWALL_OK) ? undefined : `iptables failed (exit ${code}): ${out.trim().split("\n").slice(-3).join(" / ").slice(0, 400) || "no output"}`));
  });
}

/** Installs the chain (once) and this process's port rule; never throws. */
export async function guardBridge(docker: Docker, env: NodeJS.ProcessEnv, t: FirewallTarget): Promise<HostFirewall> {
  const args: FirewallArgs = { mode: "open", chain: firewallChain(t.network), bridge: t.bridge, port: t.port, host: t.host, ...(t.ipv6 ? { host6: t.ipv6.host } : {}) };
  let argv: string[];
  let closeArgv: string[];
  try {
    argv = firewallArgv(args);
    closeArgv = firewallArgv({ ...args, mode: "close" });
  } catch (err) {
    return { closed: false, why: errorMessage(err), close: async () => {} };
  }
  const done = await runScript(docker, env, argv, t.network);
  if (!done.ok) return { closed: false, why: done.why, close: async () => {} };
  if (done.via === "iptables") {
    return withRemoval("iptables", () => runLocally(closeArgv).then(() => undefined), () => {
      execFileSync("/bin/sh", ["-c", FIREWALL_SCRIPT, "gitcrew-firewall", ...closeArgv], { env: ENV, stdio: "ignore", timeout: 10_000 });
    });
  }
  const img = done.image;
  return withRemoval("engine", () => runThroughEngine(docker, env, closeArgv, t.network).then(() => undefined), () => runThroughEngineSync(docker, img, closeArgv, t.network));
}

/**
 * The egress network's bridge: INPUT from it jumps to a chain that rejects
 * everything, so its containers reach no address of the host (the bridge's,
 * docker0's, the LAN's) while forwarded traffic out is untouched. Nothing to
 * remove later: the chain stays with the network. Never throws.
 */
export async function sealBridge(docker: Docker, env: NodeJS.ProcessEnv, t: { network: string; bridge: string; host: string }): Promise<Omit<HostFirewall, "close">> {
  let argv: string[];
  try {
    argv = firewallArgv({ mode: "seal", chain: egressChain(t.network), bridge: t.bridge, host: t.host });
  } catch (err) {
    return { closed: false, why: errorMessage(err) };
  }
  const done = await runScript(docker, env, argv, t.network);
  return done.ok ? { closed: true, via: done.via } : { closed: false, why: done.why };
}

/** The script by this process when it can (root with iptables), else through the engine. */
async function runScript(docker: Docker, env: NodeJS.ProcessEnv, argv: string[], network: string): Promise<{ ok: true; via: "iptables" } | { ok: true; via: "engine"; image: string } | { ok: false; why: string }> {
  const whys: string[] = [];
  if (canRunLocally()) {
    const failed = await runLocally(argv);
    if (!failed) return { ok: true, via: "iptables" };
    whys.push(failed);
  } else {
    whys.push(typeof process.getuid === "function" && process.getuid() !== 0 ? "the runner is not root" : "iptables is not installed where the runner runs");
  }
  const viaEngine = await runThroughEngine(docker, env, argv, network);
  if (viaEngine.ok) return { ok: true, via: "engine", image: viaEngine.image };
  whys.push(viaEngine.why);
  return { ok: false, why: whys.join("; ") };
}

/** Removal on close, or synchronously when the process exits without closing (a CLI run). */
function withRemoval(via: HostFirewall["via"], remove: () => Promise<void>, removeSync: () => void): HostFirewall {
  let removed = false;
  const onExit = () => {
    if (removed) return;
    removed = true;
    try {
      removeSync();
    } catch {
      // best effort: a leftover ACCEPT names a port nothing listens on; the next start prunes it
    }
  };
  process.once("exit", onExit);
  return {
    closed: true,
    via,
    close: async () => {
      process.off("exit", onExit);
      if (removed) return;
      removed = true;
      await remove();
    },
  };
}
