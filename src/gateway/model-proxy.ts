/**
 * The model routes: `/<provider>/<path>` on the gateway is the runtime's
 * base URL. The request carries the run token where the CLI puts its API
 * key; the gateway checks the run's budget (refusing server tools and
 * options it cannot price), clamps the output length and the web searches
 * the budget pays, swaps the token for the real key and forwards to the
 * provider. The
 * response streams back chunk by chunk while its usage is read; if the
 * client leaves mid-stream the rest is still read (not sent) so the run is
 * charged what the provider will bill.
 */
import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage, type ServerResponse } from "node:http";
import { request as httpsRequest, type Agent as HttpsAgent } from "node:https";
import type { Budgets, Reservation } from "./budget.js";
import { BodyTooLarge, forwardHeaders, modelToken, readBody } from "./http-util.js";
import { askForStreamUsage, clampOutput, describe, type ModelRequest } from "./model-request.js";
import type { PriceBook } from "./prices.js";
import { providerEgress } from "./provider-egress.js";
import { sendProviderError } from "./provider-errors.js";
import { clampToolUses, feeOf } from "./server-tools.js";
import type { RunRegistry, RunState } from "./runs.js";
import { type ProviderName, totalOf, zeroTokens } from "./types.js";
import { UsageMeter } from "./usage.js";

export interface ModelContext {
  runs: RunRegistry;
  budgets: Budgets;
  prices: PriceBook;
  /** Real base URL per provider, e.g. `https://api.anthropic.com`. */
  upstreams: Record<ProviderName, string>;
  maxBodyBytes: number;
  /** Time allowed until the provider's response headers. */
  headersTimeoutMs: number;
  /** Longest pause allowed between two chunks of a response. */
  idleTimeoutMs: number;
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
  ca?: string | Buffer | (string | Buffer)[];
}

// A method override would let a provider read a passed GET as a POST the gateway never metered.
const DROP = new Set(["host", "authorization", "x-api-key", "x-goog-api-key", "content-length", "accept-encoding", "x-http-method-override", "x-http-method", "x-method-override"]);

/** A path spelt one way only (no `%`, `;`, empty or dot segment): what the check reads is what the provider routes. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~:-][A-Za-z0-9._~:-]*)+$/;

function authHeader(provider: ProviderName, key: string): Record<string, string> {
  if (provider === "anthropic") return { "x-api-key": key };
  if (provider === "openai") return { authorization: `Bearer ${key}` };
  return { "x-goog-api-key": key };
}

type Obj = Record<string, unknown>;

export async function handleModel(ctx: ModelContext, provider: ProviderName, rest: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(rest, "http://gateway");
  const found = ctx.runs.lookup(modelToken(req.headers, url.searchParams));
  if (typeof found === "string") {
    const why = found === "missing" ? "no run token in the request" : found === "revoked" ? "run token expired: the run has ended" : "unknown run token";
    sendProviderError(res, provider, "auth", why);
    return;
  }
  const run = found;
  const key = run.reg.modelKeys?.[provider];
  const upstreamBase = ctx.upstreams[provider];
  const base = new URL(upstreamBase);
  if (!key) {
    run.refuse("model", base.hostname, Number(base.port) || 443, `no ${provider} key for this run`);
    sendProviderError(res, provider, "forbidden", `this run has no ${provider} model access`);
    return;
  }

  let raw: Buffer;
  try {
    raw = await readBody(req, ctx.maxBodyBytes);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      res.setHeader("connection", "close");
      sendProviderError(res, provider, "too_large", err.message);
    } else res.destroy();
    return;
  }
  let body: Obj | undefined;
  if (raw.length > 0) {
    try {
      const parsed: unknown = JSON.parse(raw.toString("utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not a JSON object");
      body = parsed as Obj;
    } catch (err) {
      sendProviderError(res, provider, "bad_request", `request body is not a JSON object: ${(err as Error).message}`);
      return;
    }
  }
  const method = req.method ?? "GET";
  const desc = describe(provider, method, url.pathname, body);
  // Only what the meter counts leaves for the provider: a model request (metered, held to the budget), a
  // token count, or a read. Anything else (message batches, files, agents, embeddings, tuned models, a path
  // spelt so that the check does not know it) could spend the operator's key without being metered.
  const reads = method === "GET" || method === "HEAD";
  if (reads ? raw.length > 0 : !(desc.generates || desc.counts) || !PLAIN_PATH.test(url.pathname)) {
    run.refuse("model", base.hostname, Number(base.port) || 443, "not a model request the gateway meters");
    sendProviderError(res, provider, "forbidden", `${method} ${url.pathname} is not passed: the gateway passes only model requests it meters, token counts and reads`);
    return;
  }

  // A background response answers before it generates: its usage reaches only a later read, never the meter.
  if (desc.background) {
    run.refuse("model", base.hostname, Number(base.port) || 443, "a background response the gateway cannot meter");
    sendProviderError(res, provider, "bad_request", "background responses are not passed: the gateway meters only answers it reads; send the request without background");
    return;
  }

  // What the provider would reach for the agent (a search, a URL, an MCP server) is held to the run's allowlist, budget or not.
  if ((desc.generates || desc.counts) && body) {
    const egress = providerEgress(provider, url.pathname, body, run.reach);
    if (egress.refused.length > 0) {
      const names = egress.refused.join("; ");
      run.refuse("model", base.hostname, Number(base.port) || 443, `provider egress: ${names}`);
      sendProviderError(res, provider, "bad_request", `not passed: ${names}. The agent reaches the network only through its allowlist; leave it out of the request`);
      return;
    }
    if (egress.body) body = egress.body;
    // Sent as checked: re-serialised, so no duplicate key or escape is read one way here and another there.
    if (!desc.generates) raw = Buffer.from(JSON.stringify(body));
  }

  let reservation: Reservation | undefined;
  const caps = run.reg.budget ?? [];
  const prices = (run.priceBook ??= ctx.prices.with(run.reg.prices));
  if (desc.generates && body) {
    body = askForStreamUsage(provider, url.pathname, body);
    if (caps.length > 0) {
      // The output cap bounds each answer: several in one request would write several times what is left.
      if (desc.choices > 1) {
        run.refuse("model", base.hostname, Number(base.port) || 443, "several answers in one request under a budget");
        sendProviderError(res, provider, "bad_request", `${desc.choices} answers in one request are not passed under a budget; ask for one`);
        return;
      }
      if (desc.unpriced.length > 0) {
        const names = desc.unpriced.join(", ");
        run.refuse("model", base.hostname, Number(base.port) || 443, `premium option under a budget: ${names}`);
        sendProviderError(res, provider, "bad_request", `${names}: not passed under a budget (billed at a premium over the model's prices, which the gateway does not price); leave it out of the request`);
        return;
      }
      // A tool the provider runs and bills with no count in its answer would spend past every cap.
      if (desc.tools.unmetered.length > 0) {
        const names = [...new Set(desc.tools.unmetered)].join(", ");
        run.refuse("model", base.hostname, Number(base.port) || 443, `server tool the gateway cannot meter under a budget: ${names}`);
        sendProviderError(res, provider, "bad_request", `${names}: not passed under a budget (the provider runs and bills it, and the gateway cannot count it); leave it out of the request`);
        return;
      }
      const price = prices.priceOf(provider, desc.model);
      const admission = await ctx.budgets.admit(
        run.runId,
        caps,
        () => run.spent,
        {
          // About four bytes of JSON per input token (read twice when the provider may compact it first); the output is what a cap can bound exactly.
          inputTokens: Math.ceil(raw.length / 4) * (desc.compacts ? 2 : 1),
          inputUsd: price ? price.inputMtok / 1e6 : null,
          outputUsd: price ? price.outputMtok / 1e6 : null,
          tool: desc.tools.fee && { name: desc.tools.fee.tool, usdPerUse: desc.tools.fee.usdPerUse, maxUses: desc.tools.fee.maxUses, clampable: desc.tools.fee.clampable },
        },
        desc.requestedMax,
      );
      if (!admission.ok) {
        run.budgetExceeded ??= admission.exceeded;
        run.refuse("model", base.hostname, Number(base.port) || 443, admission.reason);
        sendProviderError(res, provider, "budget", `${admission.reason}. Raise limits.budget to let this agent go on.`);
        return;
      }
      reservation = admission.reservation;
      if (admission.maxOutput !== undefined && admission.maxOutput !== desc.requestedMax) {
        body = clampOutput(provider, url.pathname, body, admission.maxOutput);
      }
      if (admission.maxToolUses !== undefined && desc.tools.fee?.clampable) body = clampToolUses(provider, body, admission.maxToolUses);
    }
    raw = Buffer.from(JSON.stringify(body));
  }

  forward(ctx, provider, run, desc, reservation, base, url, raw, req, res);
}

function forward(
  ctx: ModelContext,
  provider: ProviderName,
  run: RunState,
  desc: ModelRequest,
  reservation: Reservation | undefined,
  base: URL,
  url: URL,
  raw: Buffer,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  url.searchParams.delete("key");
  const basePath = base.pathname.replace(/\/$/, "");
  const headers = {
    ...forwardHeaders(req.headers, DROP),
    ...authHeader(provider, run.reg.modelKeys?.[provider] ?? ""),
    host: base.host,
    "accept-encoding": "identity",
    "content-length": String(raw.length),
  };
  const options = {
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port || undefined,
    method: req.method,
    path: `${basePath}${url.pathname}${url.search}`,
    headers,
  };
  const upstream = base.protocol === "https:" ? httpsRequest({ ...options, agent: ctx.httpsAgent, ca: ctx.ca }) : httpRequest({ ...options, agent: ctx.httpAgent });

  let meter: UsageMeter | undefined;
  let settled = false;
  let clientGone = false;
  let streaming = false;
  const settle = (): void => {
    if (settled) return;
    settled = true;
    if (!desc.generates) return;
    meter?.end();
    const tokens = meter?.tokens;
    const used = tokens && totalOf(tokens) > 0 ? tokens : undefined;
    const model = meter?.model || desc.model || "unknown";
    // An answer that was read (a 2xx) but ended before its final usage may have used its tool unseen.
    const cut = meter !== undefined && meter.mode !== "none" && !meter.final;
    const tool = meter ? feeOf(provider, model, desc.tools.fee, meter.toolCounts, !cut) : { uses: 0, usd: 0 };
    const tokenCost = used ? (run.priceBook ?? ctx.prices).cost(provider, model, used) : 0;
    const cost = tokenCost === null ? null : tokenCost + tool.usd;
    const book = (): void => {
      if (used || tool.uses > 0) run.book(provider, model, used ?? zeroTokens(), cost, tool);
    };
    if (reservation) void ctx.budgets.settle(run.runId, run.reg.budget ?? [], reservation, { tokens: used ? totalOf(used) : 0, usd: cost ?? tool.usd }, book);
    else book();
  };

  const headersTimer = setTimeout(() => {
    upstream.destroy(new Error(`the ${provider} API did not answer within ${ctx.headersTimeoutMs} ms`));
  }, ctx.headersTimeoutMs);

  upstream.on("error", (err) => {
    clearTimeout(headersTimer);
    settle();
    if (clientGone) return;
    const timeout = err.message.includes("did not answer") || err.message.includes("stalled");
    if (res.headersSent) {
      if (provider === "anthropic" && streaming && !res.writableEnded) {
        // The Messages stream has an error event; the SDK raises it as an API error.
        const data = JSON.stringify({ type: "error", error: { type: timeout ? "timeout_error" : "api_error", message: `gitcrew: ${err.message}` } });
        res.end(`event: error\ndata: ${data}\n\n`);
      } else if (!res.writableEnded) res.destroy();
      return;
    }
    sendProviderError(res, provider, timeout ? "timeout" : "upstream", `cannot reach the ${provider} API: ${err.message}`);
  });

  upstream.on("response", (up: IncomingMessage) => {
    clearTimeout(headersTimer);
    const type = String(up.headers["content-type"] ?? "");
    const ok = (up.statusCode ?? 500) < 300;
    streaming = type.includes("event-stream");
    meter = new UsageMeter(provider, !desc.generates || !ok ? "none" : type.includes("event-stream") ? "sse" : type.includes("json") ? "json" : "none");
    const m = meter;
    if (!clientGone) {
      res.writeHead(up.statusCode ?? 502, forwardHeaders(up.headers));
      res.flushHeaders();
    }
    // One timer for the whole response, pushed back lazily: re-arming it per chunk costs more than the chunk.
    let last = performance.now();
    let idle: NodeJS.Timeout | undefined;
    const check = (): void => {
      const quiet = performance.now() - last;
      if (quiet >= ctx.idleTimeoutMs) up.destroy(new Error(`the ${provider} API stalled for ${ctx.idleTimeoutMs} ms mid-response`));
      else idle = setTimeout(check, ctx.idleTimeoutMs - quiet);
    };
    idle = setTimeout(check, ctx.idleTimeoutMs);
    up.on("data", (chunk: Buffer) => {
      last = performance.now();
      m.feed(chunk);
    });
    // pipe() carries the back-pressure; the meter reads the same chunks on the side.
    if (!clientGone) up.pipe(res);
    up.on("end", () => {
      clearTimeout(idle);
      settle();
    });
    up.on("error", (err) => {
      clearTimeout(idle);
      upstream.emit("error", err);
    });
    up.on("close", () => clearTimeout(idle));
  });

  res.on("close", () => {
    if (res.writableFinished) return;
    // The client left: read the rest of the answer (unsent) for its usage; the idle timer bounds it.
    clientGone = true;
    if (!desc.generates) upstream.destroy();
    const up = (upstream as unknown as { res?: IncomingMessage }).res;
    if (up) {
      up.unpipe(res);
      setImmediate(() => up.resume());
    }
  });

  upstream.end(raw);
}
