/**
 * The egress proxy: `CONNECT host:port` tunnels (TLS passes through
 * untouched) and plain-HTTP absolute-URI requests, each authenticated by
 * the run token and checked against the run's allowlist. The gateway
 * resolves the name itself and connects to an address it checked. A plain
 * request to a host that has a secret is sent on over HTTPS with the secret
 * added, so a secret never travels in clear text and never enters the
 * container.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse, type Agent as HttpAgent } from "node:http";
import { request as httpsRequest, type Agent as HttpsAgent } from "node:https";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { BlockList } from "node:net";
import { RefusedAddress, resolveTarget } from "./address.js";
import { forwardHeaders, proxyToken } from "./http-util.js";
import { normalizeHost } from "./hosts.js";
import type { RunRegistry, RunState } from "./runs.js";

export interface EgressContext {
  runs: RunRegistry;
  exceptions: BlockList;
  connectTimeoutMs: number;
  /** Idle time after which a tunnel or a plain request is closed. */
  idleTimeoutMs: number;
  /** Extra CAs for HTTPS to secret-bearing hosts (tests). */
  ca?: string | Buffer | (string | Buffer)[];
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
  tunnels: Set<Socket | Duplex>;
}

const REALM = 'Basic realm="gitcrew run gateway"';

function authenticate(ctx: EgressContext, headers: IncomingMessage["headers"]): RunState | { status: number; message: string } {
  const found = ctx.runs.lookup(proxyToken(headers));
  if (typeof found !== "string") return found;
  const message =
    found === "missing" ? "proxy credentials required (the run token)" : found === "revoked" ? "run token expired: the run has ended" : "unknown run token";
  return { status: 407, message };
}

/** Splits `host:port` / `[v6]:port`. */
export function splitHostPort(authority: string, defaultPort: number): { host: string; port: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(authority.trim());
  if (!m?.[1]) return undefined;
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (!(port >= 1 && port <= 65535)) return undefined;
  return { host: normalizeHost(m[1]), port };
}

function writeRaw(socket: Duplex, status: number, reason: string, message: string, extra: string[] = []): void {
  const body = `gitcrew gateway: ${message}\n`;
  socket.end(
    [`HTTP/1.1 ${status} ${reason}`, "content-type: text/plain", `content-length: ${Buffer.byteLength(body)}`, "connection: close", ...extra, "", body].join("\r\n"),
  );
}

/** Checks, resolves and connects; the reason for a refusal is recorded on the run. */
async function open(ctx: EgressContext, run: RunState, host: string, port: number): Promise<{ address: string } | { status: number; message: string }> {
  if (!run.allowlist.allows(host, port)) {
    run.refuse("egress", host, port, "not on the allowlist");
    return { status: 403, message: `${host}:${port} is not on this run's allowlist` };
  }
  try {
    const [address] = await resolveTarget(host, ctx.exceptions);
    return { address: address as string };
  } catch (err) {
    if (err instanceof RefusedAddress) {
      run.refuse("egress", host, port, "resolves to an internal address");
      return { status: 403, message: err.message };
    }
    return { status: 502, message: `cannot resolve ${host}: ${(err as Error).message}` };
  }
}

export function handleConnect(ctx: EgressContext, req: IncomingMessage, client: Duplex, head: Buffer): void {
  client.on("error", () => client.destroy());
  const run = authenticate(ctx, req.headers);
  if (!("allowlist" in run)) {
    writeRaw(client, run.status, "Proxy Authentication Required", run.message, [`proxy-authenticate: ${REALM}`]);
    return;
  }
  const target = splitHostPort(req.url ?? "", 443);
  if (!target) {
    writeRaw(client, 400, "Bad Request", `bad CONNECT target '${req.url ?? ""}'`);
    return;
  }
  void open(ctx, run, target.host, target.port).then((r) => {
    if (!("address" in r)) {
      writeRaw(client, r.status, r.status === 403 ? "Forbidden" : "Bad Gateway", r.message);
      return;
    }
    if (client.destroyed) return;
    const upstream = connect({ host: r.address, port: target.port });
    upstream.setNoDelay(true);
    const timer = setTimeout(() => upstream.destroy(new Error("connect timeout")), ctx.connectTimeoutMs);
    upstream.once("connect", () => {
      clearTimeout(timer);
      ctx.tunnels.add(client);
      ctx.tunnels.add(upstream);
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.setTimeout(ctx.idleTimeoutMs, () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    const done = (): void => {
      ctx.tunnels.delete(client);
      ctx.tunnels.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    upstream.once("error", (err) => {
      clearTimeout(timer);
      if (!ctx.tunnels.has(client) && !client.destroyed) writeRaw(client, 502, "Bad Gateway", `cannot reach ${target.host}:${target.port}: ${err.message}`);
      done();
    });
    upstream.once("close", done);
    client.once("close", done);
  });
}

export function handleProxyRequest(ctx: EgressContext, req: IncomingMessage, res: ServerResponse): void {
  const refuse = (status: number, message: string, headers: Record<string, string> = {}): void => {
    const body = `gitcrew gateway: ${message}\n`;
    res.writeHead(status, { "content-type": "text/plain", "content-length": Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  const run = authenticate(ctx, req.headers);
  if (!("allowlist" in run)) {
    refuse(run.status, run.message, { "proxy-authenticate": REALM });
    return;
  }
  let url: URL;
  try {
    url = new URL(req.url ?? "");
  } catch {
    refuse(400, "bad request URL");
    return;
  }
  if (url.protocol !== "http:") {
    refuse(400, `only http:// URLs are proxied as requests (use CONNECT for ${url.protocol})`);
    return;
  }
  const host = normalizeHost(url.hostname);
  const secrets = run.secrets.get(host);
  // A secret-bearing host is reached over TLS on its own port 443 unless the URL names one.
  const tls = secrets !== undefined;
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  void open(ctx, run, host, port).then((r) => {
    if (!("address" in r)) {
      refuse(r.status, r.message);
      return;
    }
    const headers = forwardHeaders(req.headers);
    headers.host = url.host;
    for (const s of secrets ?? []) headers[s.header] = s.value;
    const options = {
      host: r.address,
      port,
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers,
      timeout: ctx.idleTimeoutMs,
    };
    const upstream = tls
      ? httpsRequest({ ...options, servername: host, agent: ctx.httpsAgent, ca: ctx.ca })
      : httpRequest({ ...options, agent: ctx.httpAgent });
    upstream.on("response", (up) => {
      res.writeHead(up.statusCode ?? 502, forwardHeaders(up.headers));
      up.pipe(res);
      up.on("error", () => res.destroy());
    });
    upstream.on("timeout", () => upstream.destroy(new Error(`no answer from ${host} within ${ctx.idleTimeoutMs} ms`)));
    upstream.on("error", (err) => {
      if (res.headersSent) res.destroy();
      else refuse(502, `cannot reach ${host}:${port}: ${err.message}`);
    });
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
}
