/**
 * The node:http adapter: routes requests to the pure handlers (webhook, API,
 * health, metrics) and moves bytes. Timeouts bound slow clients; a cap on
 * connections and a byte budget shared by all webhook bodies being read bound
 * what unauthenticated clients can make the process hold.
 * node:http without a framework on purpose: a framework body parser buffers before the HMAC check that body.ts streams.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { errorMessage } from "../util/errors.js";
import type { DeliveryInput, Store } from "../store/types.js";
import { handleApi } from "./api.js";
import type { Dashboard } from "./dashboard/index.js";
import { ByteBudget, parseSignature, readSignedBody } from "./body.js";
import { gauge, repoGauges, type Metrics } from "./metrics.js";
import type { Readiness } from "./pipeline.js";
import { DEFAULT_MAX_BODY_BYTES } from "./settings.js";
import { acceptWebhook, BAD_SIGNATURE, checkWebhookHeaders, fail, header, type Reply } from "./webhook.js";

/** Open connections at once; more are closed on arrival. */
export const DEFAULT_MAX_CONNECTIONS = 512;
/** Webhook body bytes held at once across requests: at least 32 MiB, and room for four bodies of the largest size. */
export const defaultInFlightBytes = (maxBodyBytes: number): number => Math.max(32 * 1024 * 1024, 4 * maxBodyBytes);

export interface HttpDeps {
  store: Store;
  metrics: Metrics;
  webhookSecret: string;
  apiToken: string;
  now(): number;
  /** Stores a verified delivery (default: the store's recordDelivery); false for a duplicate. */
  record?(delivery: DeliveryInput): Promise<boolean>;
  /** Called after a new delivery is stored. */
  onDelivery(): void;
  /** Called after an API change (cancel, retry). */
  wake(): void;
  /** Runner slots free on this instance (GET /api/queue); undefined without a worker. */
  freeSlots?(): number | undefined;
  /** `--repo-concurrency` (GET /api/queue). */
  repoLimit?: number;
  /** The server's readiness, or one repository's (`/readyz?repo=OWNER/NAME`). */
  readiness(repo?: string): Readiness;
  maxBodyBytes?: number;
  /** Body bytes being read at once, all requests together; beyond it a request gets 503 with Retry-After. */
  maxInFlightBytes?: number;
  maxConnections?: number;
  /** Whole-request timeout (slow bodies); headers have their own. */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** The dashboard: the page, sign-in and every /api route (without it, /api takes the API token only). */
  dashboard?: Dashboard;
  log(line: string): void;
}

function send(res: ServerResponse, reply: Reply, close = false): void {
  const text = JSON.stringify(reply.body) + "\n";
  res.writeHead(reply.status, { ...reply.headers, "content-type": "application/json", "content-length": Buffer.byteLength(text), ...(close ? { connection: "close" } : {}) });
  res.end(text);
}

export function createHttpServer(deps: HttpDeps): Server {
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const budget = new ByteBudget(deps.maxInFlightBytes ?? defaultInFlightBytes(maxBytes));

  async function webhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const done = (reply: Reply, close = false) => {
      send(res, reply, close);
      deps.metrics.webhooks.inc({ status: String(reply.status) });
      deps.metrics.webhookSeconds.observe((performance.now() - started) / 1000);
    };
    const early = checkWebhookHeaders(req.headers, maxBytes);
    // Answer before reading the body, then drop the connection: its bytes are never read.
    if (early) return done(early, true);
    const held = budget.hold();
    try {
      const body = await readSignedBody(req, {
        secret: deps.webhookSecret,
        expected: parseSignature(header(req.headers, "x-hub-signature-256") ?? "") ?? Buffer.alloc(0),
        maxBytes,
        take: held.take,
      });
      if (!body.ok) {
        held.release();
        if (body.reason === "too-large") return done(fail(413, `payload above the ${maxBytes}-byte limit (gitcrew serve --max-body)`), true);
        if (body.reason === "busy") return done({ ...fail(503, "too many webhook bytes in flight; retry shortly"), headers: { "retry-after": "1" } }, true);
        if (body.reason === "bad-signature") return done(BAD_SIGNATURE);
        return void req.destroy();
      }
      const reply = await acceptWebhook(req.headers, body.text, body.key, { record: (delivery) => (deps.record ? deps.record(delivery) : deps.store.recordDelivery(delivery)), now: deps.now });
      done(reply);
      if (reply.status === 202 && !reply.body.duplicate) deps.onDelivery();
    } finally {
      held.release();
    }
  }

  async function metrics(): Promise<string> {
    const counts = await deps.store.countByStatus();
    return deps.metrics.render([
      ...gauge("gitcrew_queue_depth", "Runs waiting to be claimed.", [[{}, counts.queued]]),
      ...gauge("gitcrew_deliveries_pending", "Stored deliveries not yet planned.", [[{}, await deps.store.pendingDeliveries()]]),
      ...gauge("gitcrew_runs", "Runs in the store by status.", Object.entries(counts).map(([status, n]) => [{ status }, n])),
      ...repoGauges(await deps.store.countByRepo(), deps.metrics),
      ...gauge("gitcrew_webhook_body_bytes_in_flight", "Webhook body bytes being read and verified now, all requests together (bounded by the in-flight budget).", [[{}, budget.inUse]]),
      ...gauge("gitcrew_ready", "1 when /readyz answers 200 (a usable crew, the Docker engine answering), else 0.", [[{}, deps.readiness().ready ? 1 : 0]]),
    ]);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    if (url.pathname === "/webhooks") {
      if (method !== "POST") return send(res, { status: 405, body: { error: "use POST /webhooks" } });
      return webhook(req, res);
    }
    if (deps.dashboard?.owns(url.pathname)) return deps.dashboard.handle(req, res);
    if (url.pathname.startsWith("/api/")) return send(res, await handleApi(method, url, req.headers.authorization, { store: deps.store, token: deps.apiToken, now: deps.now, wake: deps.wake, freeSlots: deps.freeSlots, repoLimit: deps.repoLimit }));
    if (method !== "GET") return send(res, { status: 405, body: { error: `use GET ${url.pathname}` } });
    if (url.pathname === "/healthz") return send(res, { status: 200, body: { ok: true } });
    if (url.pathname === "/readyz") {
      const ready = deps.readiness(url.searchParams.get("repo") ?? undefined);
      const body: Record<string, unknown> = ready.ready ? { ready: true } : { ready: false, reason: ready.reason ?? "not ready" };
      // Serving many: a broken crew in one repository is listed, and does not take the server out of a load balancer.
      if (ready.repos) body.repos = ready.repos;
      if (ready.ready && ready.reason) body.reason = ready.reason;
      return send(res, { status: ready.ready ? 200 : 503, body });
    }
    if (url.pathname === "/metrics") {
      const text = await metrics();
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      return void res.end(text);
    }
    send(res, { status: 404, body: { error: `no route ${url.pathname}; try POST /webhooks, GET /healthz, /readyz, /metrics` } });
  }

  // Node checks the timeouts on this interval (30 s by default): keep it short so slow clients are cut in time.
  const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    route(req, res).catch((err: unknown) => {
      deps.log(`http: ${req.method ?? ""} ${req.url ?? ""}: ${errorMessage(err)}`);
      if (!res.headersSent) send(res, { status: 503, body: { error: `store unavailable: ${errorMessage(err)}` } });
      else res.destroy();
    });
  });
  server.headersTimeout = deps.headersTimeoutMs ?? 10_000;
  server.requestTimeout = deps.requestTimeoutMs ?? 60_000;
  server.maxConnections = deps.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  return server;
}
