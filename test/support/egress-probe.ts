/**
 * For the egress host-services attack tests: a node script run inside an
 * egress agent's container that tries a host service on each of the host's
 * addresses (docker0's, the LAN's, and its own default gateway: the egress
 * bridge's), then a service outside the host, then a name through Docker's
 * embedded DNS, printing one JSON line per attempt. And that outside
 * service: a network namespace on a veth pair, routed through the host like
 * any machine beyond it, so a connection there is forwarded (and NATed), not
 * delivered to the host.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { networkInterfaces } from "node:os";
import { egressChain } from "../../src/runner/host-firewall.js";

const iptables = (...args: string[]) => execFileSync("iptables", ["-w", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

export function egressProbeScript(servicePort: number, hostAddrs: string[], outside: { host: string; port: number }): string {
  return `
import net from "node:net";
import dns from "node:dns";
import { hostname } from "node:os";
import { readFileSync } from "node:fs";
const tryConnect = (host, port) => new Promise((resolve) => {
  const s = net.connect({ host, port });
  const done = (r) => { s.destroy(); resolve(r); };
  s.setTimeout(8000, () => done({ ok: false, code: "TIMEOUT" }));
  // A connect alone is not enough: the services greet every client.
  s.on("connect", () => s.once("data", (d) => done({ ok: true, greeting: d.toString() })));
  s.on("error", (e) => done({ ok: false, code: e.code }));
});
// The default route's gateway: the host's address on the bridge this namespace sits on.
const def = readFileSync("/proc/net/route", "utf8").split("\\n").map((l) => l.trim().split(/\\s+/)).find((f) => f[1] === "00000000");
const gw = def ? Buffer.from(def[2], "hex").reverse().join(".") : "none";
const own = Object.values((await import("node:os")).networkInterfaces()).flat().find((i) => i && i.family === "IPv4" && !i.internal)?.address;
console.log(JSON.stringify({ step: "where", gateway: gw, address: own }));
for (const host of [gw, ...${JSON.stringify(hostAddrs)}]) {
  console.log(JSON.stringify({ step: "service " + host, host, ...(await tryConnect(host, ${servicePort})) }));
}
console.log(JSON.stringify({ step: "outside", ...(await tryConnect(${JSON.stringify(outside.host)}, ${outside.port})) }));
// Through the resolver at 127.0.0.11 itself (not /etc/hosts): the embedded DNS knows this namespace's own name.
const r = new dns.promises.Resolver({ timeout: 5000, tries: 1 });
const nameserver = r.getServers()[0];
console.log(JSON.stringify({ step: "dns", nameserver, ...(await r.resolve4(hostname()).then((a) => ({ ok: true, addresses: a }), (e) => ({ ok: false, code: e.code }))) }));
`;
}

/** The egress prober's YAML: a command agent with unrestricted egress. */
export const EGRESS_PROBER_YAML = ["runtime: command", 'command: ["node", "/workspace/egress-probe.mjs"]', "limits:", "  timeout: 2m", '  network: "egress"', ""].join("\n");

/** crew.cue whose ceilings allow egress. */
export const EGRESS_CREW_CUE = 'defaults: limits: { timeout: "2m", memory: "512m", cpus: 1 }\nceilings: { timeout: "2h", memory: "8g", cpus: 4, network: "egress" }\n';

/** Every IPv4 address of the host but loopback (docker0's, the LAN's, other bridges'). */
export function hostIPv4Addresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === "IPv4" && !i.internal)
    .map((i) => i!.address);
}

export interface Outside {
  /** The service's address in the namespace, and the host's address on the veth (what a NATed client looks like). */
  host: string;
  hostSide: string;
  port: number;
  /** Client addresses the service saw. */
  seen: string[];
  stop(): Promise<void>;
}

const OUTSIDE_SERVER = `
const s = require("node:net").createServer((c) => { console.log("client " + c.remoteAddress); c.end("outside-greeting\\n"); });
s.listen(0, "0.0.0.0", () => console.log("port " + s.address().port));
`;

/** A service in a network namespace of its own, one veth away from the host (root only). */
export async function startOutside(tag: string): Promise<Outside> {
  const ns = `gcout-${tag}`;
  const hostIf = `gco${tag}h`.slice(0, 15);
  const nsIf = `gco${tag}n`.slice(0, 15);
  const ip = (...args: string[]) => execFileSync("ip", args, { stdio: ["ignore", "pipe", "pipe"] });
  const used = execFileSync("ip", ["-4", "route"], { encoding: "utf8" });
  let third = 0;
  for (let i = 0; i < 50 && (!third || used.includes(`10.231.${third}.`)); i++) third = 1 + Math.floor(Math.random() * 250);
  const [hostSide, host] = [`10.231.${third}.1`, `10.231.${third}.2`];
  ip("netns", "add", ns);
  ip("link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
  ip("link", "set", nsIf, "netns", ns);
  ip("addr", "add", `${hostSide}/30`, "dev", hostIf);
  ip("link", "set", hostIf, "up");
  ip("netns", "exec", ns, "ip", "addr", "add", `${host}/30`, "dev", nsIf);
  ip("netns", "exec", ns, "ip", "link", "set", nsIf, "up");
  ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
  const child: ChildProcess = spawn("ip", ["netns", "exec", ns, process.execPath, "-e", OUTSIDE_SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  const seen: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (c: Buffer) => {
      buf += c.toString();
      for (const line of buf.split("\n").slice(0, -1)) {
        if (line.startsWith("port ")) resolve(Number(line.slice(5)));
        if (line.startsWith("client ")) seen.push(line.slice(7));
      }
      buf = buf.slice(buf.lastIndexOf("\n") + 1);
    });
    child.once("exit", (code) => reject(new Error(`the outside service exited (${code})`)));
  });
  return {
    host,
    hostSide,
    port,
    seen,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill();
        await exited;
      }
      for (const args of [["link", "del", hostIf], ["netns", "del", ns]]) {
        try {
          ip(...args);
        } catch {
          // gone with the namespace already
        }
      }
    },
  };
}

/** Removes a test's egress network and its chain (gitcrew leaves both in place on purpose). */
export function removeEgressNetwork(network: string): void {
  const chain = egressChain(network);
  let bridge: string | undefined;
  try {
    bridge = `br-${docker("network", "inspect", "-f", "{{.Id}}", network).slice(0, 12)}`;
  } catch {
    // not made
  }
  for (const args of [...(bridge ? [["-D", "INPUT", "-i", bridge, "-j", chain]] : []), ["-F", chain], ["-X", chain]]) {
    try {
      iptables(...args);
    } catch {
      // not made
    }
  }
  try {
    docker("network", "rm", network);
  } catch {
    // not made, or a container of a failed run still on it
  }
}
