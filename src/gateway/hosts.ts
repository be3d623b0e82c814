/**
 * Host allowlists: `host` (exact), `*.suffix` (any name under suffix, not
 * suffix itself), each with an optional `:port`. Without a port a pattern
 * allows 443 and 80. Names are compared lower-case without a trailing dot.
 */

export interface HostPattern {
  /** Exact host, or the suffix (with its leading dot) of a wildcard. */
  host: string;
  wildcard: boolean;
  /** Undefined: 443 and 80. */
  port?: number;
}

const LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;

export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h.endsWith(".")) h = h.slice(0, -1);
  return h;
}

function validName(name: string): boolean {
  if (name.includes(":")) return /^[0-9a-f:.]+$/.test(name); // IPv6 literal
  return name.length > 0 && name.length <= 253 && name.split(".").every((l) => LABEL.test(l));
}

export function parseHostPattern(pattern: string): HostPattern {
  let rest = pattern.trim().toLowerCase();
  let port: number | undefined;
  // `host:port`, `[v6]:port`; a bare IPv6 literal has no port.
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(rest);
  if (m) {
    rest = m[1] ?? "";
    port = Number(m[2]);
    if (port < 1 || port > 65535) throw new Error(`gateway: bad port in host pattern '${pattern}'`);
  }
  const wildcard = rest.startsWith("*.");
  const name = normalizeHost(wildcard ? rest.slice(2) : rest);
  if (!validName(name) || (wildcard && !name.includes("."))) {
    throw new Error(`gateway: bad host pattern '${pattern}' (use host, *.suffix, optional :port)`);
  }
  return { host: wildcard ? `.${name}` : name, wildcard, port };
}

export class Allowlist {
  private readonly patterns: HostPattern[];

  constructor(patterns: string[]) {
    this.patterns = patterns.map(parseHostPattern);
  }

  allows(host: string, port: number): boolean {
    const h = normalizeHost(host);
    return this.patterns.some((p) => {
      const portOk = p.port === undefined ? port === 443 || port === 80 : port === p.port;
      if (!portOk) return false;
      return p.wildcard ? h.endsWith(p.host) && h.length > p.host.length : h === p.host;
    });
  }
}
