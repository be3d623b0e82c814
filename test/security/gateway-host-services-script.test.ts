/**
 * The host firewall's script runs as root on the host (or in a container
 * with NET_ADMIN in the host's network namespace): nothing but validated
 * values may reach its arguments, and its liveness check must read the
 * kernel's TCP table the way the kernel writes it.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { firewallArgv, procNetHex } from "../../src/runner/firewall-script.js";

const good = { mode: "open" as const, chain: "GITCREW-GW-0123ABCD", bridge: "br-0123456789ab", port: 40000, host: "172.18.0.1" };

describe("the host firewall script's arguments", () => {
  it("are the validated values, in order", () => {
    expect(firewallArgv(good)).toEqual(["open", good.chain, good.bridge, "40000", procNetHex("172.18.0.1"), "4", "172.18.0.1"]);
    expect(firewallArgv({ ...good, mode: "close", host6: "fd00::1" }).slice(-2)).toEqual(["6", "fd00::1"]);
  });

  it("seal the egress network's chain with no port (nothing is ever accepted there)", () => {
    expect(firewallArgv({ mode: "seal", chain: "GITCREW-EG-0123ABCD", bridge: good.bridge, host: good.host })).toEqual(["seal", "GITCREW-EG-0123ABCD", good.bridge, "0", procNetHex("172.18.0.1"), "4", "172.18.0.1"]);
    // A gateway chain is never sealed, an egress chain never given an ACCEPT.
    expect(() => firewallArgv({ mode: "seal", chain: good.chain, bridge: good.bridge, host: good.host })).toThrow(/^bad firewall chain/);
    expect(() => firewallArgv({ ...good, chain: "GITCREW-EG-0123ABCD" })).toThrow(/^bad firewall chain/);
    expect(() => firewallArgv({ mode: "seal", chain: "GITCREW-EG-0123ABCD", bridge: "br-x;reboot", host: good.host })).toThrow(/^bad bridge name/);
  });

  it.each([
    ["a chain that is not gitcrew's", { chain: "INPUT" }],
    ["a bridge name with shell or iptables syntax", { bridge: "br-x;reboot" }],
    ["a bridge name that is an option", { bridge: "-j" }],
    ["a bridge name longer than Linux allows", { bridge: "br-0123456789abc" }],
    ["port 0", { port: 0 }],
    ["a port that is not an integer", { port: 1.5 }],
    ["an address with more after it", { host: "172.18.0.1 -j ACCEPT" }],
    ["an IPv6 address that is not one", { host6: "fd00::1;x" }],
    ["another mode", { mode: "flush" }],
  ])("refuse %s", (_what, bad) => {
    expect(() => firewallArgv({ ...good, ...(bad as object) })).toThrow(/^bad /);
  });

  it("name the bridge address as the kernel's TCP table prints a socket listening on it", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.2", r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const want = `${procNetHex("127.0.0.2")}:${port.toString(16).toUpperCase().padStart(4, "0")}`;
      const listening = readFileSync("/proc/net/tcp", "utf8").split("\n").map((l) => l.trim().split(/\s+/)).filter((f) => f[3] === "0A").map((f) => f[1]);
      expect(listening).toContain(want);
    } finally {
      server.close();
    }
  });
});
