/** Allowlist patterns, presets and the internal-address check. */
import { describe, expect, it } from "vitest";
import { exceptionsOf, isInternal, resolveTarget } from "../../src/gateway/address.js";
import { Allowlist, expandPresets, parseHostPattern } from "../../src/gateway/index.js";

describe("allowlist patterns", () => {
  const list = new Allowlist(["api.example.com", "*.pkg.example.org:443", "Mixed.Example.NET.", "[::1]:8080", "10.1.2.3:22"]);

  it.each([
    ["api.example.com", 443, true],
    ["api.example.com", 80, true],
    ["api.example.com", 8443, false],
    ["API.EXAMPLE.COM.", 443, true],
    ["evil-api.example.com", 443, false],
    ["example.com", 443, false],
    ["api.example.com.evil.org", 443, false],
    ["a.pkg.example.org", 443, true],
    ["a.b.pkg.example.org", 443, true],
    ["a.pkg.example.org", 80, false],
    ["pkg.example.org", 443, false],
    ["xpkg.example.org", 443, false],
    ["mixed.example.net", 80, true],
    ["::1", 8080, true],
    ["::1", 443, false],
    ["10.1.2.3", 22, true],
  ])("%s:%i → %s", (host, port, allowed) => {
    expect(list.allows(host, port)).toBe(allowed);
  });

  it.each(["*.com", "*", "exa mple.com", "host:0", "host:99999", "https://example.com", "*.*.example.com", ""])("refuses the pattern %j", (p) => {
    expect(() => parseHostPattern(p)).toThrow(/bad (host pattern|port)/);
  });

  it("expands presets and refuses an unknown one", () => {
    expect(expandPresets(["a.example", "preset:mine"], { mine: ["b.example", "c.example"] })).toEqual(["a.example", "b.example", "c.example"]);
    expect(() => expandPresets(["preset:pakages"], { packages: [] })).toThrow(/unknown host preset 'pakages'/);
  });
});

describe("internal addresses", () => {
  it.each([
    "127.0.0.1", "127.9.9.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
  ])("%s is internal", (a) => {
    expect(isInternal(a)).toBe(true);
  });

  it.each(["93.184.216.34", "172.32.0.1", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8"])("%s is not", (a) => {
    expect(isInternal(a)).toBe(false);
  });

  it("an exception lifts only the named network", async () => {
    const loopback = exceptionsOf(["127.0.0.0/8"]);
    expect(isInternal("127.0.0.1", loopback)).toBe(false);
    expect(isInternal("10.0.0.1", loopback)).toBe(true);
    await expect(resolveTarget("127.0.0.1")).rejects.toThrow(/internal/);
    await expect(resolveTarget("127.0.0.1", loopback)).resolves.toEqual(["127.0.0.1"]);
    await expect(resolveTarget("localhost")).rejects.toThrow(/resolves only to internal addresses/);
  });
});
