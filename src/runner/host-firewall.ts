/**
 * Host firewall for the gateway network's bridge. A packet from a container
 * to the host's address on the bridge is delivered to the host, so without
 * this every host service on 0.0.0.0 (sshd, `gitcrew serve`, a database) is
 * reachable from an agent. With root and iptables: INPUT on the bridge jumps
 * to a chain of gitcrew's own that accepts TCP to each live gateway port and
 * rejects everything else (reset / port unreachable, so tools fail fast).
 * The chain, the jump and the final REJECTs stay (the network stays closed
 * between runs); each process adds its own port's ACCEPT and removes it when
 * its gateway closes or the process exits.
 */
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import net from "node:net";
import { errorMessage } from "../util/errors.js";

export interface HostFirewall {
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
const NOT_CLOSED = "host services listening on 0.0.0.0 are reachable from agent containers";
let warned = false;

/** Once per process, on stderr: the hole stays open and how to close it. */
function warn(why: string): void {
  if (warned) return;
  warned = true;
  process.stderr.write(`gitcrew: warning: ${NOT_CLOSED} (${why}); run the runner as root with iptables installed, or bind host services to 127.0.0.1 (docs/runner.md)\n`);
}

/** gitcrew's chain for one network: ≤ 28 characters. */
export function firewallChain(network: string): string {
  return `GITCREW-GW-${createHash("sha256").update(network).digest("hex").slice(0, 8).toUpperCase()}`;
}

function findBinary(name: string): string | undefined {
  return ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map((d) => `${d}/${name}`).find((p) => existsSync(p));
}

function run(bin: string, args: string[]): Promise<{ ok: boolean; err: string }> {
  return new Promise((resolve) => {
    execFile(bin, ["-w", ...args], { env: ENV, timeout: 30_000 }, (error, _out, stderr) => resolve({ ok: !error, err: String(stderr || (error ? errorMessage(error) : "")).trim() }));
  });
}

interface Family {
  bin: string;
  host: string;
  unreachable: string;
}

/** Installs the chain (once) and this process's port rule; never throws. */
export async function guardBridge(t: FirewallTarget): Promise<HostFirewall> {
  const none: HostFirewall = { close: async () => {} };
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    warn("the runner is not root, so it cannot install firewall rules");
    return none;
  }
  const families: Family[] = [];
  const v4 = findBinary("iptables");
  if (!v4) {
    warn("iptables is not installed");
    return none;
  }
  families.push({ bin: v4, host: t.host, unreachable: "icmp-port-unreachable" });
  if (t.ipv6) {
    const v6 = findBinary("ip6tables");
    if (!v6) {
      warn(`the network ${t.network} has IPv6 and ip6tables is not installed`);
      return none;
    }
    families.push({ bin: v6, host: t.ipv6.host, unreachable: "icmp6-port-unreachable" });
  }
  const chain = firewallChain(t.network);
  const installed: { bin: string; rule: string[] }[] = [];
  for (const f of families) {
    const failed = await ensureChain(f, chain, t.bridge);
    if (failed) {
      warn(`${f.bin} failed: ${failed}`);
      break;
    }
    await pruneDeadPorts(f, chain);
    const rule = [chain, "-p", "tcp", "-d", f.host, "--dport", String(t.port), "-j", "ACCEPT"];
    const r = await run(f.bin, ["-I", ...rule]);
    if (!r.ok) {
      warn(`${f.bin} failed: ${r.err}`);
      break;
    }
    installed.push({ bin: f.bin, rule });
  }
  let removed = false;
  // A CLI process may end without closing its gateway: the rule goes with it.
  const onExit = () => {
    if (removed) return;
    removed = true;
    for (const i of installed) {
      try {
        execFileSync(i.bin, ["-w", "-D", ...i.rule], { env: ENV, stdio: "ignore", timeout: 10_000 });
      } catch {
        // best effort: a leftover ACCEPT names a port nothing listens on; the next start prunes it
      }
    }
  };
  process.once("exit", onExit);
  return {
    close: async () => {
      process.off("exit", onExit);
      if (removed) return;
      removed = true;
      for (const i of installed) await run(i.bin, ["-D", ...i.rule]);
    },
  };
}

/** Chain, its final REJECTs and the INPUT jump, each only if missing; returns the error if one step failed. */
async function ensureChain(f: Family, chain: string, bridge: string): Promise<string | undefined> {
  const made = await run(f.bin, ["-N", chain]);
  if (!made.ok && !/exist/i.test(made.err)) return made.err;
  for (const reject of [
    ["-p", "tcp", "-j", "REJECT", "--reject-with", "tcp-reset"],
    ["-j", "REJECT", "--reject-with", f.unreachable],
  ]) {
    if ((await run(f.bin, ["-C", chain, ...reject])).ok) continue;
    const r = await run(f.bin, ["-A", chain, ...reject]);
    if (!r.ok) return r.err;
  }
  const jump = ["INPUT", "-i", bridge, "-j", chain];
  if ((await run(f.bin, ["-C", ...jump])).ok) return undefined;
  const r = await run(f.bin, ["-I", ...jump]);
  return r.ok ? undefined : r.err;
}

/** Drops ACCEPT rules of gateways that are gone (a process killed before its exit hook). */
async function pruneDeadPorts(f: Family, chain: string): Promise<void> {
  const list = await new Promise<string>((resolve) => execFile(f.bin, ["-w", "-S", chain], { env: ENV, timeout: 30_000 }, (_e, out) => resolve(String(out ?? ""))));
  for (const line of list.split("\n")) {
    const m = /^-A (\S+) -d (\S+?)(?:\/(?:32|128))? -p tcp -m tcp --dport (\d+) -j ACCEPT$/.exec(line.trim());
    if (!m || m[1] !== chain) continue;
    if (await listening(m[2]!, Number(m[3]))) continue;
    await run(f.bin, ["-D", chain, "-p", "tcp", "-d", m[2]!, "--dport", m[3]!, "-j", "ACCEPT"]);
  }
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2000, () => done(true)); // unsure: keep the rule
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}
