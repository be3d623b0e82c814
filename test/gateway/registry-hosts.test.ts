/**
 * `preset:packages` is what this host's own package tools are configured to
 * use: the real npm and pip are asked (with their configuration pointed at
 * local test hosts), apt's sources and cargo's config are read from
 * folders the test writes, GOPROXY from the environment. A tool that is
 * absent gives nothing.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aptSources, cargoRegistries, hostPatternOf, packageRegistryHosts } from "../../src/gateway/registry-hosts.js";

const which = (name: string): string => execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();

describe("preset:packages from the host's package tools", () => {
  let dir: string;
  let bin: string;
  let home: string;
  let apt: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gitcrew-registries-"));
    // A PATH with node and npm only: pip, python3, go and cargo are absent.
    bin = join(dir, "bin");
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, "node"));
    symlinkSync(which("npm"), join(bin, "npm"));
    home = join(dir, "home");
    mkdirSync(join(home, ".cargo"), { recursive: true });
    writeFileSync(
      join(home, ".cargo", "config.toml"),
      [
        "[source.crates-io]",
        'replace-with = "mirror"',
        "[source.mirror]",
        'registry = "sparse+https://crates.mirror.test/index/"  # the mirror',
        "[registries]",
        'team = { index = "https://crates.team.test:8443/git/index" }',
        "[net]",
        'git-fetch-with-cli = true',
        "",
      ].join("\n"),
    );
    apt = join(dir, "apt");
    mkdirSync(join(apt, "sources.list.d"), { recursive: true });
    writeFileSync(
      join(apt, "sources.list"),
      ["# deb http://commented.apt.test/debian main", "deb [arch=amd64 signed-by=/k.gpg] http://deb.apt.test/debian bookworm main", "deb-src https://src.apt.test:8443/debian bookworm main", "deb cdrom:[Disc 1]/ bookworm main", ""].join("\n"),
    );
    writeFileSync(
      join(apt, "sources.list.d", "extra.sources"),
      [
        "Types: deb",
        "URIs: https://one.apt.test/debian",
        " mirror+http://mirrors.apt.test/list.txt",
        "Suites: bookworm",
        "",
        "Types: deb",
        "Enabled: no",
        "URIs: https://disabled.apt.test/debian",
        "Suites: bookworm",
        "",
      ].join("\n"),
    );
    writeFileSync(join(apt, "sources.list.d", "old.list.disabled"), "deb https://ignored.apt.test/debian bookworm main\n");
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("expands to the hosts npm, apt, cargo and GOPROXY name on this host, each with its port", async () => {
    const env = {
      PATH: bin,
      HOME: home,
      npm_config_registry: "http://npm.registry.test:4873/",
      "npm_config_@acme:registry": "https://acme.registry.test/npm/",
      PIP_INDEX_URL: "https://user:pw@pypi.registry.test/simple",
      PIP_EXTRA_INDEX_URL: "https://extra.registry.test/simple file:///opt/wheels",
      GOPROXY: "https://go.registry.test,direct|off",
    };
    const found = await packageRegistryHosts({ env, aptDir: apt });
    expect(found.sources).toEqual([
      { tool: "npm", hosts: ["acme.registry.test:443", "npm.registry.test:4873"] },
      { tool: "pip", hosts: ["extra.registry.test:443", "pypi.registry.test:443"] },
      { tool: "apt", hosts: ["deb.apt.test:80", "mirrors.apt.test:80", "one.apt.test:443", "src.apt.test:8443"] },
      { tool: "cargo", hosts: ["crates.mirror.test:443", "crates.team.test:8443"] },
      { tool: "go", hosts: ["go.registry.test:443"] },
    ]);
    expect(found.hosts).toEqual(found.sources.flatMap((s) => s.hosts).sort());
  }, 60_000);

  it("gives nothing for tools that are absent or unconfigured", async () => {
    // npm is not on PATH: its variable alone opens nothing; no apt folder, no cargo config, no GOPROXY.
    const found = await packageRegistryHosts({ env: { PATH: join(dir, "empty"), HOME: join(dir, "nobody"), npm_config_registry: "http://npm.registry.test:4873/" }, aptDir: join(dir, "no-apt") });
    expect(found).toEqual({ hosts: [], sources: [] });
  });

  it("asks the real pip for its configured indexes (a configured index replaces pip's own default)", async () => {
    let pipPath: string;
    try {
      pipPath = which("pip");
    } catch {
      throw new Error("pip is not installed on this machine: the test needs the real pip (apt-get install python3-pip)");
    }
    const conf = join(dir, "pip.conf");
    writeFileSync(conf, "[global]\nindex-url = https://conf.pip.test:8443/simple\nextra-index-url = https://conf-extra.pip.test/simple\n");
    const env = { PATH: `${dirname(pipPath)}:${process.env.PATH ?? ""}`, HOME: process.env.HOME, PYENV_ROOT: process.env.PYENV_ROOT, PIP_CONFIG_FILE: conf };
    const found = await packageRegistryHosts({ env, aptDir: join(dir, "no-apt") });
    expect(found.sources.find((s) => s.tool === "pip")).toEqual({ tool: "pip", hosts: ["conf-extra.pip.test:443", "conf.pip.test:8443"] });
  }, 60_000);

  it("reads URLs as host:port and nothing else", () => {
    expect(hostPatternOf("https://r.test/npm/")).toBe("r.test:443");
    expect(hostPatternOf("http://r.test/debian")).toBe("r.test:80");
    expect(hostPatternOf("https://u:p@r.test:8443/x")).toBe("r.test:8443");
    expect(hostPatternOf("sparse+https://r.test/index/")).toBe("r.test:443");
    expect(hostPatternOf("https://[2001:db8::1]:8443/")).toBe("[2001:db8::1]:8443");
    expect(hostPatternOf("file:///opt/pypi/simple")).toBeUndefined();
    expect(hostPatternOf("cdrom:[Disc 1]/")).toBeUndefined();
    expect(hostPatternOf("direct")).toBeUndefined();
    expect(aptSources(join(dir, "no-apt"))).toEqual([]);
    expect(cargoRegistries({ HOME: join(dir, "nobody"), CARGO_REGISTRIES_TEAM_INDEX: "https://env.cargo.test/index" })).toEqual(["https://env.cargo.test/index"]);
  });
});
