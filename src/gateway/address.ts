/**
 * Name resolution for the gateway (the container has no DNS) and the check
 * that keeps an allowlisted name from pointing into the runner's own
 * networks: loopback, private, link-local, CGNAT, multicast and reserved
 * ranges are refused unless the gateway was told to allow them. The caller
 * connects to the address checked here, so a second lookup cannot swap it.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const V4 = [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15],
  ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const;
const V6 = [
  ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96], ["2001:db8::", 32],
] as const;

function blockListOf(cidrs: readonly (readonly [string, number])[], family: "ipv4" | "ipv6", into = new BlockList()): BlockList {
  for (const [addr, prefix] of cidrs) into.addSubnet(addr, prefix, family);
  return into;
}

const INTERNAL = blockListOf(V6, "ipv6", blockListOf(V4, "ipv4"));

/** `127.0.0.0/8`, `::1/128`… parsed into a BlockList of exceptions. */
export function exceptionsOf(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const c of cidrs) {
    const [addr = "", prefix] = c.split("/");
    const family = isIP(addr) === 6 ? "ipv6" : "ipv4";
    if (!isIP(addr)) throw new Error(`gateway: bad network '${c}'`);
    list.addSubnet(addr, prefix === undefined ? (family === "ipv4" ? 32 : 128) : Number(prefix), family);
  }
  return list;
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it carries. */
function unmap(addr: string): { addr: string; family: "ipv4" | "ipv6" } {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  if (m?.[1]) return { addr: m[1], family: "ipv4" };
  return { addr, family: isIP(addr) === 6 ? "ipv6" : "ipv4" };
}

export function isInternal(address: string, exceptions?: BlockList): boolean {
  const { addr, family } = unmap(address);
  if (exceptions?.check(addr, family)) return false;
  return INTERNAL.check(addr, family);
}

export class RefusedAddress extends Error {}

/**
 * The addresses `host` may be reached at: its IP literal or its DNS answers,
 * internal ones removed. Throws RefusedAddress when none is left, or the
 * resolver's error when the name does not resolve.
 */
export async function resolveTarget(host: string, exceptions?: BlockList): Promise<string[]> {
  const literal = host.startsWith("[") ? host.slice(1, -1) : host;
  const all = isIP(literal) ? [literal] : (await lookup(literal, { all: true, verbatim: true })).map((a) => a.address);
  const usable = all.filter((a) => !isInternal(a, exceptions));
  if (usable.length === 0) {
    throw new RefusedAddress(`${host} resolves only to internal addresses (${all.join(", ")})`);
  }
  return usable;
}
