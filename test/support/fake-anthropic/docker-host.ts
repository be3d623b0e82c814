/**
 * The host address containers on a Docker network use to reach a server on
 * this machine: the host's own interface inside the network's subnet (the
 * bridge gateway). Binding the fake server there keeps it off other interfaces.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

function inSubnet(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  if (!base || !Number.isInteger(bits) || base.includes(":")) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ipv4ToInt(ip) & mask) === (ipv4ToInt(base) & mask);
}

export async function dockerHostAddress(network = "bridge"): Promise<string> {
  const { stdout } = await run("docker", ["network", "inspect", network, "--format", "{{json .IPAM.Config}}"]);
  const configs = JSON.parse(stdout) as { Subnet?: string; Gateway?: string }[];
  for (const cfg of configs) {
    if (cfg.Gateway && !cfg.Gateway.includes(":")) return cfg.Gateway;
  }
  // Some engines leave Gateway out of IPAM: use the host interface in the subnet.
  // (`ip`, not os.networkInterfaces(): that omits a bridge with no container attached.)
  const { stdout: addrs } = await run("ip", ["-o", "-4", "addr", "show"]);
  const hostAddrs = [...addrs.matchAll(/\binet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1] ?? "");
  for (const cfg of configs) {
    const hit = hostAddrs.find((a) => cfg.Subnet && inSubnet(a, cfg.Subnet));
    if (hit) return hit;
  }
  throw new Error(`no host address on Docker network "${network}" (subnets: ${stdout.trim()})`);
}
