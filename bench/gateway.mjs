// Run gateway overhead: a streamed Anthropic Messages answer from a local
// scripted model server, fetched straight from it and through the gateway
// (its model route: run token swapped for the key, budget admission, SSE
// scanned for usage), interleaved in one run. Model server, proxies and
// client are separate processes on the same machine.
//   time to first streamed byte: added p50 / p95 (target p50 < 2 ms)
//   streaming throughput: gateway / straight (target >= 0.9), beside floors:
//     a bare node:http pipe proxy, the same pipe in a process that has loaded
//     the gateway's modules, and gateway and pipe with their heaps filled to the
//     size of a gitcrew process (V8 collects very differently at 8-11 MB)
//   CPU per MiB of every process on the path, so the ratio can be explained
// Usage: node bench/gateway.mjs [--quick] [--no-write] [--before=DIR]
//   --no-write    prints the section without writing bench/RESULTS.md
//   --before=DIR  also runs the gateway of an older checkout (git worktree add DIR COMMIT;
//                 its node_modules linked) as one more target in the same rounds
//   GATEWAY_BENCH_PROFILE=DIR  writes CPU profiles of the proxy processes there
import { execFileSync, fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { bundleDriver, machine, median, percentile, writeSection } from "./results.mjs";

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const modelPort = () => Number(arg("model"));
/** Heap a gitcrew process holding the gateway has anyway, for the filled rows. */
const FILLED_HEAP_MB = 32;
const role = arg("role");
const quick = process.argv.includes("--quick");
const noWrite = process.argv.includes("--no-write");
const before = arg("before") && resolve(arg("before"));
const TTFB_ROUNDS = quick ? 200 : 1000;
const STREAM_ROUNDS = quick ? 6 : 16;
const STREAM_MB = quick ? 32 : 128;
const CACHE = join(import.meta.dirname, "..", "node_modules", ".cache", "gitcrew-bench");
const OUT = join(CACHE, "gateway.mjs");
const OUT_BEFORE = join(CACHE, "gateway-before.mjs");

const event = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/** CPU time this process has used, in ms, and its heap: what a process costs per byte, whatever else loads the machine. */
function stats() {
  const u = process.cpuUsage();
  return { cpu: (u.user + u.system) / 1000, heapMB: process.memoryUsage().heapUsed / 1e6 };
}

/**
 * `--heap=N`: the proxy process first fills its heap to about N MB with live objects, as a gitcrew
 * process holding the gateway does with its other modules and state. V8 collects very differently
 * with a heap of 8-11 MB (where the gateway's own process sits) than with a larger one, so the
 * filled rows compare the proxies' code in the same heap regime.
 */
function ballast() {
  const mb = Number(arg("heap") ?? 0);
  const kept = [];
  while (process.memoryUsage().heapUsed < mb * 1e6) kept.push(Array.from({ length: 1024 }, (_, i) => ({ i, s: `x${i}` })));
  globalThis.benchBallast = kept;
}

function answerStats() {
  process.on("message", (m) => {
    if (m === "stats") process.send({ stats: stats() });
    if (m === "exit") process.exit(0);
  });
}

/** The scripted model: `max_tokens` 1 answers at once with a short stream; otherwise STREAM_MB of text deltas. */
function modelServer() {
  const text = "x".repeat(900);
  const delta = event("content_block_delta", { index: 0, delta: { type: "text_delta", text } });
  const block = Buffer.from(delta.repeat(Math.ceil((1 << 20) / delta.length)));
  const start = event("message_start", { message: { id: "m", model: "claude-sonnet-4-5", usage: { input_tokens: 10, output_tokens: 1 } } });
  const end = event("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 1000 } }) + event("message_stop", {});
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(start);
      if (body.max_tokens === 1) return void res.end(end);
      let left = Math.round((STREAM_MB * (1 << 20)) / block.length);
      const pump = () => {
        while (left > 0) {
          left -= 1;
          if (!res.write(block)) return void res.once("drain", pump);
        }
        res.end(end);
      };
      pump();
    });
  });
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
  answerStats();
}

async function gateway(bundle, modelPort) {
  const { startGateway } = await import(bundle);
  ballast();
  const gw = await startGateway({ upstreams: { anthropic: `http://127.0.0.1:${modelPort}` } });
  const run = gw.register({ runId: "bench", modelKeys: { anthropic: "sk-bench" }, budget: [{ scope: "run", tokens: 1e15 }] });
  process.send({ port: gw.port, token: run.token });
  process.on("message", (m) => {
    if (m === "report") process.send({ report: gw.report("bench") });
  });
  answerStats();
}

/**
 * The floor for any proxy: node:http piping request and response, nothing read, nothing checked.
 * With `withModules`, the same pipe in a process that has loaded the gateway's bundle (and so has
 * the gateway process's heap), to separate what the heap costs from what the gateway's code does.
 */
async function bareProxy(modelPort, withModules) {
  if (withModules) await import(OUT);
  ballast();
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const up = request({ host: "127.0.0.1", port: modelPort, method: req.method, path: req.url.replace(/^\/anthropic/, ""), headers: req.headers, agent });
    up.on("response", (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port, token: "sk-bench" }));
  answerStats();
}

if (role === "model") modelServer();
else if (role === "bare") await bareProxy(modelPort(), false);
else if (role === "bare-modules") await bareProxy(modelPort(), true);
else if (role === "gateway") await gateway(OUT, modelPort());
else if (role === "gateway-before") await gateway(OUT_BEFORE, modelPort());
else await main();

function child(args) {
  const prof = process.env.GATEWAY_BENCH_PROFILE && args[0] !== "--role=model" ? ["--cpu-prof", `--cpu-prof-dir=${process.env.GATEWAY_BENCH_PROFILE}`] : [];
  const p = fork(import.meta.filename, args, { stdio: "inherit", execArgv: prof });
  return new Promise((resolve) => p.once("message", (m) => resolve({ p, m })));
}

function ask(agent, base, token, maxTokens) {
  const body = JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: maxTokens, stream: true, messages: [{ role: "user", content: "hi" }] });
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let first = 0n;
    let bytes = 0;
    const req = request(`${base}/v1/messages`, {
      method: "POST",
      agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-api-key": token },
    });
    req.on("response", (res) => {
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
      res.on("data", (c) => {
        if (first === 0n) first = process.hrtime.bigint();
        bytes += c.length;
      });
      res.on("end", () => {
        const t1 = process.hrtime.bigint();
        resolve({ ttfbMs: Number(first - t0) / 1e6, totalMs: Number(t1 - t0) / 1e6, bytes });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The gateway's modules of a checkout (this one, or --before=DIR), for the processes that load them. */
function bundle(root, outfile) {
  return bundleDriver("gateway", { entry: join(root, "src", "gateway", "index.ts"), outfile });
}

function statsOf(c) {
  return new Promise((resolve) => {
    const on = (m) => m.stats && (c.p.off("message", on), resolve(m.stats));
    c.p.on("message", on);
    c.p.send("stats");
  });
}

async function main() {
  mkdirSync(CACHE, { recursive: true });
  await bundle(join(import.meta.dirname, ".."), OUT);
  if (before) await bundle(before, OUT_BEFORE);
  const loadBefore = loadavg().map((l) => l.toFixed(1)).join(" / ");
  const model = await child(["--role=model"]);
  const port = String(model.m.port);
  const agent = () => new Agent({ keepAlive: true, maxSockets: 1 });
  /** name → how the client reaches it, and the proxy process in between (none straight). */
  const targets = { direct: { base: `http://127.0.0.1:${port}`, token: "sk-bench", agent: agent() } };
  const proxy = async (name, r, heap = 0) => {
    const c = await child([`--role=${r}`, `--model=${port}`, `--heap=${heap}`]);
    targets[name] = { base: `http://127.0.0.1:${c.m.port}/anthropic`, token: c.m.token, agent: agent(), proc: c };
  };
  await proxy("via", "gateway");
  if (before) await proxy("before", "gateway-before");
  await proxy("floor", "bare");
  await proxy("floorHeap", "bare-modules");
  await proxy("viaFilled", "gateway", FILLED_HEAP_MB);
  await proxy("floorFilled", "bare", FILLED_HEAP_MB);
  const names = Object.keys(targets);
  const gateways = names.filter((n) => n === "via" || n === "before");

  // Warm every path (connections, JIT) before measuring.
  for (let i = 0; i < 50; i++) for (const n of names) await ask(targets[n].agent, targets[n].base, targets[n].token, 1);

  // Time to first byte: the gateways and straight in a rotating order; the floors take the same requests
  // so that every proxy process is equally warmed for the streams below.
  const ttfbOrder = ["direct", ...gateways];
  const ttfb = Object.fromEntries(ttfbOrder.map((n) => [n, []]));
  const added = Object.fromEntries(gateways.map((n) => [n, []]));
  for (let i = 0; i < TTFB_ROUNDS; i++) {
    const order = ttfbOrder.map((_, k) => ttfbOrder[(i + k) % ttfbOrder.length]);
    const r = {};
    for (const n of order) r[n] = (await ask(targets[n].agent, targets[n].base, targets[n].token, 1)).ttfbMs;
    for (const n of names.filter((x) => !ttfbOrder.includes(x))) await ask(targets[n].agent, targets[n].base, targets[n].token, 1);
    for (const n of ttfbOrder) ttfb[n].push(r[n]);
    for (const n of gateways) added[n].push(r[n] - r.direct);
  }

  // Streams: every target once per round, the order rotating; each process's CPU is read around each stream.
  const mbps = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, { proxy: [], client: [], model: [] }]));
  const heapMB = {};
  for (let i = 0; i < STREAM_ROUNDS; i++) {
    const order = names.map((_, k) => names[(i + k) % names.length]);
    for (const n of order) {
      const t = targets[n];
      const p0 = t.proc ? await statsOf(t.proc) : undefined;
      const m0 = await statsOf(model);
      const c0 = stats().cpu;
      const r = await ask(t.agent, t.base, t.token, 4096);
      const c1 = stats().cpu;
      const m1 = await statsOf(model);
      const mib = r.bytes / (1 << 20);
      if (t.proc) {
        const p1 = await statsOf(t.proc);
        cpu[n].proxy.push((p1.cpu - p0.cpu) / mib);
        heapMB[n] = p1.heapMB;
      }
      cpu[n].client.push((c1 - c0) / mib);
      cpu[n].model.push((m1.cpu - m0.cpu) / mib);
      mbps[n].push(mib / (r.totalMs / 1000));
    }
  }
  const ratio = (n, base = "direct") => median(mbps[n].map((v, i) => v / mbps[base][i]));

  const via = targets.via.proc;
  via.p.send("report");
  const report = await new Promise((resolve) => via.p.on("message", (m) => m.report && resolve(m.report)));
  for (const n of names) {
    targets[n].proc?.p.send("exit");
    targets[n].agent.destroy();
  }
  model.p.send("exit");

  const expectedRequests = 50 + TTFB_ROUNDS + STREAM_ROUNDS;
  const counted = report.byModel[0]?.requests ?? 0;
  const f = (x) => x.toFixed(2);
  const ms = (x) => `${f(x)} ms`;
  const date = new Date().toISOString().slice(0, 10);
  const commitOf = (dir) => {
    try {
      return execFileSync("git", ["-C", dir, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    } catch {
      return "?";
    }
  };
  const label = {
    direct: "straight to the model server",
    via: `through the gateway (this checkout, ${commitOf(join(import.meta.dirname, ".."))})`,
    before: `through the gateway before (${before ? commitOf(before) : ""})`,
    floor: "through a bare node:http pipe proxy",
    floorHeap: "the same bare pipe, its process having loaded the gateway's modules",
    viaFilled: `through the gateway, its process's heap filled to ${FILLED_HEAP_MB} MB`,
    floorFilled: `through the bare pipe, its process's heap filled to ${FILLED_HEAP_MB} MB`,
  };
  const addedP50 = median(added.via);
  const tp = ratio("via");
  const ttfbRows = gateways
    .map((n) => `| ${label[n]} | ${ms(median(ttfb[n]))} | +${ms(median(added[n]))} | +${ms(percentile(added[n], 95))} | +${ms(percentile(added[n], 99))} |`)
    .join("\n");
  const streamRows = names
    .map((n) => {
      const c = cpu[n];
      const total = median(c.model) + (c.proxy.length ? median(c.proxy) : 0) + median(c.client);
      return `| ${label[n]} | ${median(mbps[n]).toFixed(0)} MiB/s | ${n === "direct" ? "1" : f(ratio(n))}× | ${f(median(c.model))} | ${c.proxy.length ? `${f(median(c.proxy))} (heap ${heapMB[n].toFixed(1)} MB)` : "–"} | ${f(median(c.client))} | ${f(total)} |`;
    })
    .join("\n");
  const md = `## run gateway: model streaming through the gateway vs straight to the model server

Command: \`node bench/gateway.mjs${before ? ` --before=${before}` : ""}\` (part of \`npm run bench\`${before ? `; the older commit checked out with \`git worktree add ${before} ${commitOf(before)}\`, its node_modules linked` : ""}) · ${date} · ${machine()} · load average ${loadBefore} before, ${loadavg()[0].toFixed(1)} after (the machine is shared)

A scripted Anthropic Messages server on loopback streams SSE; the client asks it straight and through the gateway's model route (run token swapped for the key, run budget admitted and clamped, usage read from the stream), over one keep-alive connection per target, the targets' order rotating every round. Every process (server, each proxy, client) has its own pid; the machine's cores are shared by all of them.

Time to first streamed byte (${TTFB_ROUNDS} rounds; straight p50 ${ms(median(ttfb.direct))}; differences taken per round):

| path | p50 | added p50 | added p95 | added p99 |
|---|---|---|---|---|
${ttfbRows}

Target: added p50 < 2 ms: **${addedP50 < 2 ? "met" : "not met"}** (+${ms(addedP50)}).

Streaming ${STREAM_MB} MiB of text deltas (${STREAM_ROUNDS} rounds; ratios are medians of per-round ratios to straight; CPU in ms per MiB streamed, per process):

| path | throughput | ÷ straight | model server CPU | proxy CPU | client CPU | all three |
|---|---|---|---|---|---|---|
${streamRows}

Target: gateway ≥ 0.9× straight: **${tp >= 0.9 ? "met" : "not met"}** (${f(tp)}×). Gateway ÷ bare pipe in the same rounds: ${f(ratio("via", "floor"))}×; ÷ the bare pipe with the gateway's modules loaded: ${f(ratio("via", "floorHeap"))}×; both heaps filled to ${FILLED_HEAP_MB} MB: ${f(ratio("viaFilled", "floorFilled"))}× throughput, proxy CPU per MiB ${f(median(cpu.viaFilled.proxy))} vs ${f(median(cpu.floorFilled.proxy))} ms.${before ? ` This checkout ÷ the gateway before: ${f(ratio("via", "before"))}× throughput, proxy CPU per MiB ${f(median(cpu.via.proxy))} vs ${f(median(cpu.before.proxy))} ms.` : ""}

Memory: nothing is kept per finished request or revoked run (\`test/gateway/retention.test.ts\`), so a long-lived gateway does not slow down as it serves; a fresh gateway's first streams are its slowest (code not yet optimised).

Metering kept up: the gateway counted ${counted} of ${expectedRequests} requests and ${report.tokens.output} output tokens (${expectedRequests * 1000} sent by the server).
`;
  if (!noWrite) writeSection("gateway", md);
  console.log(md);
  if (counted !== expectedRequests) process.exitCode = 1;
}
