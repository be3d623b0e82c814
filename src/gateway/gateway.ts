/**
 * The run gateway: one process (outside every container) serving many
 * concurrent runs on one port. A run is registered with its allowlist,
 * model keys, host secrets and budget, and gets a random token; its
 * container gets only that token and the gateway's address:
 *
 *   HTTPS_PROXY=http://run:TOKEN@gateway:port   (egress, CONNECT tunnels)
 *   ANTHROPIC_BASE_URL=http://gateway:port/anthropic, ANTHROPIC_API_KEY=TOKEN
 *   GITHUB_API_URL=http://gateway:port/github/api (Authorization: Bearer TOKEN)
 *
 * Revoking the run ends the token and returns what the run spent and what
 * was refused.
 */
import { createServer, Agent as HttpAgent, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { exceptionsOf } from "./address.js";
import { type BudgetLedger, Budgets, MemoryLedger } from "./budget.js";
import { type EgressContext, handleConnect, handleProxyRequest } from "./egress.js";
import { type GitHubContext, handleGitHub } from "./github-route.js";
import { handleModel, type ModelContext } from "./model-proxy.js";
import { PRESETS } from "./presets.js";
import { type ModelPrice, PriceBook } from "./prices.js";
import { RunRegistry } from "./runs.js";
import type { ProviderName, RunRegistration, RunReport } from "./types.js";

export interface GatewayOptions {
  /** Real provider base URLs; the defaults are the public APIs. */
  upstreams?: Partial<Record<ProviderName, string>>;
  /** Shared caps (per agent per day, per thread); in memory unless a store's ledger is given. */
  ledger?: BudgetLedger;
  /** Price overrides by model id (USD per million tokens). */
  prices?: Record<string, ModelPrice>;
  /** Host lists for `preset:NAME`, merged over the built-in ones. */
  presets?: Record<string, string[]>;
  /** Internal networks egress may reach anyway (CIDRs), e.g. `127.0.0.0/8` in tests. */
  allowInternal?: string[];
  /** Extra CAs trusted for HTTPS the gateway itself makes (tests). */
  ca?: string | Buffer | (string | Buffer)[];
  /** Largest model request body; 32 MiB by default. */
  maxBodyBytes?: number;
  /** Until the provider's response headers; 10 minutes by default (long non-streamed answers). */
  headersTimeoutMs?: number;
  /** Longest silence inside a response or tunnel; 5 minutes by default. */
  idleTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export const DEFAULT_UPSTREAMS: Record<ProviderName, string> = {
  anthropic: "https://api.anthropic.com",
  openai: "https://api.openai.com",
  gemini: "https://generativelanguage.googleapis.com",
};

export interface RunHandle {
  runId: string;
  /** The only credential the run's container gets. */
  token: string;
  /** `http://run:TOKEN@host:port` for HTTPS_PROXY/HTTP_PROXY, with the address the container knows the gateway by. */
  proxyUrl(gatewayHost?: string): string;
  /** The runtime's base URL for a provider, e.g. `http://host:port/anthropic`. */
  baseUrl(provider: ProviderName, gatewayHost?: string): string;
  /** `http://host:port/github`: `/api` is GITHUB_API_URL, `/git` where git fetches github.com from. */
  githubUrl(gatewayHost?: string): string;
}

const PROVIDERS = new Set<string>(["anthropic", "openai", "gemini"]);

export class Gateway {
  private readonly runs: RunRegistry;
  private readonly server: Server;
  private readonly egress: EgressContext;
  private readonly model: ModelContext;
  private readonly github: GitHubContext;
  private readonly sockets = new Set<Socket>();
  private bound: AddressInfo | undefined;

  constructor(opts: GatewayOptions = {}) {
    this.runs = new RunRegistry({ ...PRESETS, ...opts.presets });
    const httpAgent = new HttpAgent({ keepAlive: true });
    const httpsAgent = new HttpsAgent({ keepAlive: true });
    const idleTimeoutMs = opts.idleTimeoutMs ?? 300_000;
    this.egress = {
      runs: this.runs,
      exceptions: exceptionsOf(opts.allowInternal ?? []),
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      idleTimeoutMs,
      ca: opts.ca,
      httpAgent,
      httpsAgent,
      tunnels: new Set<Duplex>(),
    };
    this.model = {
      runs: this.runs,
      budgets: new Budgets(opts.ledger ?? new MemoryLedger()),
      prices: new PriceBook(opts.prices),
      upstreams: { ...DEFAULT_UPSTREAMS, ...opts.upstreams },
      maxBodyBytes: opts.maxBodyBytes ?? 32 * 1024 * 1024,
      headersTimeoutMs: opts.headersTimeoutMs ?? 600_000,
      idleTimeoutMs,
      httpAgent,
      httpsAgent,
      ca: opts.ca,
    };
    this.github = {
      runs: this.runs,
      maxBodyBytes: this.model.maxBodyBytes,
      headersTimeoutMs: this.model.headersTimeoutMs,
      idleTimeoutMs,
      httpAgent,
      httpsAgent,
      ca: opts.ca,
    };
    this.server = createServer({ requestTimeout: 0 }, (req, res) => this.route(req, res));
    this.server.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => handleConnect(this.egress, req, socket, head));
    this.server.on("connection", (s: Socket) => {
      s.setNoDelay(true);
      this.sockets.add(s);
      s.once("close", () => this.sockets.delete(s));
    });
    this.server.on("clientError", (_err, socket: Duplex) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
      else socket.destroy();
    });
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.bound = this.server.address() as AddressInfo;
    return this.bound;
  }

  /** `http://host:port` as bound. */
  get url(): string {
    if (!this.bound) throw new Error("gateway: not listening");
    const host = this.bound.family === "IPv6" ? `[${this.bound.address}]` : this.bound.address;
    return `http://${host}:${this.bound.port}`;
  }

  get port(): number {
    if (!this.bound) throw new Error("gateway: not listening");
    return this.bound.port;
  }

  /**
   * Registers a run. `token`: one made ahead by `newRunToken` for a container
   * started before its run was known (prepared-runs.ts); it works from now on.
   */
  register(reg: RunRegistration, token?: string): RunHandle {
    return this.handle(reg.runId, this.runs.register(reg, token).token);
  }

  /** What a container of `runId` gets for `token`, registered or not (nothing is registered here). */
  handle(runId: string, token: string): RunHandle {
    const hostOf = (h?: string): string => h ?? new URL(this.url).hostname;
    return {
      runId,
      token,
      proxyUrl: (h) => `http://run:${encodeURIComponent(token)}@${hostOf(h)}:${this.port}`,
      baseUrl: (p, h) => `http://${hostOf(h)}:${this.port}/${p}`,
      githubUrl: (h) => `http://${hostOf(h)}:${this.port}/github`,
    };
  }

  /** What a run has spent and been refused so far. */
  report(runId: string): RunReport | undefined {
    return this.runs.get(runId)?.report();
  }

  /** Ends a run: its token stops working; returns its final report. */
  revoke(runId: string): RunReport | undefined {
    return this.runs.revoke(runId)?.report();
  }

  /** The listening socket no longer keeps the process alive (open connections still do). */
  unref(): void {
    this.server.unref();
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      for (const t of this.egress.tunnels) t.destroy();
    });
    this.egress.httpAgent.destroy();
    this.egress.httpsAgent.destroy();
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "/";
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
      handleProxyRequest(this.egress, req, res);
      return;
    }
    const m = /^\/([a-z]+)(\/.*)?$/.exec(url);
    if (m?.[1] && PROVIDERS.has(m[1])) {
      handleModel(this.model, m[1] as ProviderName, m[2] ?? "/", req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`gitcrew gateway: ${(err as Error).message}\n`);
      });
      return;
    }
    if (m?.[1] === "github") {
      handleGitHub(this.github, m[2] ?? "/", req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`gitcrew gateway: ${(err as Error).message}\n`);
      });
      return;
    }
    if (url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("gitcrew gateway: no such route\n");
  }
}

/** Starts a gateway listening on `port` (0: any) at `host` (loopback by default). */
export async function startGateway(opts: GatewayOptions & { port?: number; host?: string } = {}): Promise<Gateway> {
  const gw = new Gateway(opts);
  await gw.listen(opts.port ?? 0, opts.host ?? "127.0.0.1");
  return gw;
}
