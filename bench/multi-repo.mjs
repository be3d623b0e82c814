// One server for many repositories (issue 19, "Speed"): a real `gitcrew serve --repos 'acme/*'` whose GitHub App
// installation covers 1,000 repositories (50 with a `.gitcrew/` crew), against the one-repository server
// (`--repo acme/r0000`, same App, its clone already in GITCREW_HOME), both on the GitHub double, in interleaved
// rounds (a fresh process, GITCREW_HOME and SQLite store per target and round):
//   1. start-up: process spawned → "listening on" and → GET /readyz 200; RSS (VmRSS) at ready;
//   2. intake: signed issue_comment webhooks answered 202 per second, closed loop at a fixed concurrency (as
//      bench/intake.mjs), spread over the 1,000 repositories (the one-repository server: all for its repository);
//   3. first run: from a signed `@dev` comment sent to the run's container start (engine event) and its first output
//      line (the container's clock), `command` agent on gitcrew/command; on the many-repository server for
//      repositories never seen (contents check + clone + crew load) and then the same repositories warm.
// The 950 repositories without a crew share one bare origin (only the contents check reads it); the 50 with a crew
// have their own, reached by git through url.insteadOf (XDG_CONFIG_HOME), as test/support/server-repos.ts does.
// After each intake round: how fast the worker gets through the deliveries still pending (read from the store), for
// at most --drain seconds.
// Run: node bench/multi-repo.mjs [--rounds=4] [--total=1500] [--connections=64] [--drain=15] [--no-write] [--from=FILE]
// The file is its own driver: it bundles itself (the double is TypeScript) and runs the bundle with MULTI_REPO_DRIVER=1.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ROUNDS = Number(arg("rounds", "4"));
const TOTAL = Number(arg("total", "1500"));
const CONNECTIONS = Number(arg("connections", "64"));
const REPOS = 1000;
const DRAIN_S = Number(arg("drain", "15"));
const CREW_EVERY = 20; // 50 of 1,000
const IMAGE = "gitcrew/command:latest";
const SECRET = "bench-secret";
const API_TOKEN = "bench-api-token";
const name = (i) => `acme/r${String(i).padStart(4, "0")}`;
const ONE = name(0);
const now = () => performance.timeOrigin + performance.now();

if (process.env.MULTI_REPO_DRIVER) await driver();
else await main();

// ---------------------------------------------------------------------------------------------------------------
async function main() {
  const { bundleDriver, median, machine, writeSection } = await import("./results.mjs");
  const root = resolve(import.meta.dirname, "..");
  if (spawnSync("docker", ["image", "inspect", IMAGE], { stdio: "ignore" }).status !== 0) {
    console.error(`multi-repo: ${IMAGE} is missing (or the engine is down): scripts/ci/build-images.sh`);
    process.exit(1);
  }
  // --from=FILE renders the measurements a run saved (every run saves them in node_modules/.cache/gitcrew-bench/multi-repo-last.json).
  const from = arg("from", undefined);
  const saved = join(root, "node_modules", ".cache", "gitcrew-bench", "multi-repo-last.json");
  let res;
  if (from) res = JSON.parse(readFileSync(from, "utf8"));
  else res = await measure();
  async function measure() {
    // The driver is this file, bundled (it imports the TypeScript of test/support).
    const out = await bundleDriver("multi-repo", { entry: import.meta.filename });
    // The CLI as built now: other work may rebuild dist/ during the run.
    const snap = mkdtempSync(join(tmpdir(), "gitcrew-bench-multi-cli-"));
    cpSync(join(root, "dist"), join(snap, "dist"), { recursive: true });
    for (const d of ["bin", "schema", "templates"]) cpSync(join(root, d), join(snap, d), { recursive: true });
    cpSync(join(root, "package.json"), join(snap, "package.json"));
    symlinkSync(join(root, "node_modules"), join(snap, "node_modules"));
    const loadStart = loadavg().map((x) => x.toFixed(1)).join(" / ");
    const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 << 20,
      env: { ...process.env, MULTI_REPO_DRIVER: "1", MULTI_REPO_CLI: join(snap, "bin", "gitcrew.js") },
    });
    rmSync(out, { force: true });
    rmSync(snap, { recursive: true, force: true });
    if (r.status !== 0) process.exit(r.status ?? 1);
    const measured = { ...JSON.parse(r.stdout.toString()), drainS: DRAIN_S, loadStart, rev: execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"]).toString().trim(), loadEnd: loadavg().map((x) => x.toFixed(1)).join(" / ") };
    writeFileSync(saved, JSON.stringify(measured));
    return measured;
  }
  const loadStart = res.loadStart;
  const command = process.argv.slice(2).filter((a) => !a.startsWith("--from=")).join(" ");
  const rev = res.rev;
  const med = (xs) => (xs.filter(Number.isFinite).length ? median(xs.filter(Number.isFinite)) : NaN);
  const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : "—");
  const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b ? (a / b).toFixed(2) : "—");
  const all = (k, t) => res.rounds.map((x) => x[t]?.[k]).filter((v) => v !== undefined);
  const row = (label, k, unit, target) => {
    const one = med(all(k, "one"));
    const many = med(all(k, "many"));
    return `| ${label} | ${f0(one)} ${unit} | ${f0(many)} ${unit} | ${ratio(many, one)} | ${target} | ${all(k, "one").map(f0).join(", ")} / ${all(k, "many").map(f0).join(", ")} |`;
  };
  const trig = (kind) => res.rounds.flatMap((x) => x.triggers.filter((t) => t.kind === kind));
  const trow = (label, kind) => {
    const ts = trig(kind);
    const cell = (k) => f0(med(ts.map((t) => t[k])));
    return `| ${label} | ${ts.length} | ${["answered", "installation", "token", "contents", "cloneStart", "crewLoaded", "eyes", "started", "firstLine"].map(cell).join(" | ")} |`;
  };
  const phase = (kind, a, b) => f0(med(trig(kind).map((t) => t[b] - (a ? t[a] : 0))));
  const warmFirst = med(trig("warm").map((t) => t.firstLine));
  const coldFirst = med(trig("cold").map((t) => t.firstLine));
  const oneFirst = med(trig("one").map((t) => t.firstLine));
  const sample = trig("cold")[0];
  const missing = res.problems?.length ? `\n\nNot measured / problems seen: ${res.problems.map((p) => `\n- ${p}`).join("")}` : "";
  const md = `## One server for 1,000 repositories

Command: \`node bench/multi-repo.mjs${command ? ` ${command}` : ""}\` at \`${rev}\` (the CLI as built then: \`dist/\` copied at start) · ${new Date().toISOString().slice(0, 10)} · ${machine()} · ${res.rounds.length} interleaved rounds (one-repository server, then the many-repository one, each a fresh process, \`GITCREW_HOME\` and SQLite store) · load average at the start ${loadStart}, at the end ${res.loadEnd} (the machine is shared with other work)

Both servers use the same GitHub App on the GitHub double (installation on \`acme\`, 1,000 repositories \`acme/r0000\`…\`acme/r0999\`, 50 of them with a \`.gitcrew/\` crew: a \`command\` agent \`dev\` in ${IMAGE} running \`sh -c "date +%s%N; echo done"\`). One repository: \`gitcrew serve --repo ${ONE}\` with its clone already in \`GITCREW_HOME\` (start-up fetches it and loads its crew). Many: \`gitcrew serve --repos 'acme/*'\` (start-up does nothing per repository). Intake: ${TOTAL} signed \`issue_comment\` webhooks (@octokit/webhooks-examples, no @mention, each body unique) per target and round over ${CONNECTIONS} keep-alive connections, closed loop, answered 202; for the many-repository server spread round-robin over the 1,000 repositories (its worker meanwhile checks each new repository for \`.gitcrew/\` once and clones the ones with a crew: that work shares the 2 cores with intake, as it would in production), for the one-repository server all for \`${ONE}\`.

### Start-up, RSS and intake (medians; targets: start-up and RSS within 1.2×, intake ≥ 0.9×)

| | one repository (\`--repo\`) | 1,000 repositories (\`--repos 'acme/*'\`) | many / one | target | every round (one / many) |
|---|---|---|---|---|---|
${row("spawn → \"listening on\"", "listening", "ms", "")}
${row("spawn → \`/readyz\` 200", "ready", "ms", "≤ 1.2")}
${row("RSS at ready (VmRSS)", "rssMB", "MB", "≤ 1.2")}
${row("RSS after the intake round (VmRSS)", "rssAfterMB", "MB", "")}
${row("intake: webhooks answered 202 per second", "rps", "/s", "≥ 0.9")}
${row("intake: p99 latency of one webhook", "p99", "ms", "")}
${row("intake: server CPU per webhook (µs, user + system)", "cpuUs", "µs", "")}
${row("intake: GitHub requests the worker made during the round", "ghRequests", "", "")}
${row("after the round: deliveries still pending", "pendingAfterIntake", "", "")}
${row(`after the round: deliveries the worker handled per second (over at most ${res.drainS ?? DRAIN_S} s)`, "handledPerS", "/s", "")}
${row(`after the round: pending left after at most ${res.drainS ?? DRAIN_S} s`, "pendingLeft", "", "")}

Start-up as each server's log saw it (first round, ms from spawn): one repository ${(res.rounds[0]?.one?.startTrace ?? []).map((x) => `\`${x}\``).join(", ")}, \`${f0(res.rounds[0]?.one?.listening)} listening\`; many ${(res.rounds[0]?.many?.startTrace ?? []).map((x) => `\`${x}\``).join(", ")}, \`${f0(res.rounds[0]?.many?.listening)} listening\`.

### First run of a repository (ms from the signed \`@dev\` comment sent; medians)

The many-repository server: per round, repositories never seen by that process (no clone, nothing loaded: contents check, installation token, clone, crew load), then the same repositories again (warm). The one-repository server's trigger is the reference. Milestones from the clocks that saw them: the double's answers (contents check, 👀), the serve log line received by the bench (clone begins, crew loaded), the engine's start event, the container's first line.

| | triggers | 202 | installation looked up | installation token minted | contents check answered | clone begins (log) | crew loaded (log) | 👀 | container started | first output line |
|---|---|---|---|---|---|---|---|---|---|---|
${trow("one repository, warm", "one")}
${trow("many: repository never seen", "cold")}
${trow("many: the same repository, warm", "warm")}
${trow("one repository: the process's first run (not in the ratios)", "first-one")}
${trow("many: the process's first run, a repository never seen (not in the ratios)", "first-many")}

**First output line, never seen / warm on the same server: ${ratio(coldFirst, warmFirst)}×** (${f0(coldFirst - warmFirst)} ms more); warm on the many-repository server / the one-repository server: ${ratio(warmFirst, oneFirst)}×.

Where the never-seen repository's time goes (medians of each trigger's differences, ms): 202 → contents check answered (installation lookup, token, \`GET contents/.gitcrew\`) ${phase("cold", "answered", "contents")}; → clone begins ${phase("cold", "contents", "cloneStart")}; clone begins → crew loaded (clone, \`git fetch\` of the default branch, crew load) ${phase("cold", "cloneStart", "crewLoaded")} (floors measured in each round by the bench itself: \`git clone\` of such a repository ${f0(med(res.rounds.map((x) => x.cloneMs)))}, \`git fetch\` in it right after ${f0(med(res.rounds.map((x) => x.fetchMs)))}); crew loaded → 👀 ${phase("cold", "crewLoaded", "eyes")}; 👀 → container started ${phase("cold", "eyes", "started")} (warm: 202 → 👀 ${phase("warm", "answered", "eyes")}, 👀 → container started ${phase("warm", "eyes", "started")}).${sample ? `

One never-seen trigger as the double and the log saw it (ms from the webhook sent): ${sample.trace.map((x) => `\`${x}\``).join(", ")}; log: ${sample.logTrace.map((x) => `\`${x.replace(/\/tmp\/\S+/g, "…")}\``).join(", ")}.` : ""}${missing}`;
  if (!process.argv.includes("--no-write")) writeSection("multi-repo", md);
  console.log(md);
}

// ---------------------------------------------------------------------------------------------------------------
async function driver() {
  const { GitHubDouble, createBareRepo } = await import("../test/support/github-double/index.ts");
  const require = createRequire(import.meta.url);
  const examples = require("@octokit/webhooks-examples/api.github.com/index.json");
  const example = examples.find((g) => g.name === "issue_comment").examples[0];
  const CLI = process.env.MULTI_REPO_CLI;
  const problems = [];
  const work = mkdtempSync(join(tmpdir(), "gitcrew-bench-multi-"));
  const double = await GitHubDouble.start();
  // `METHOD path` → answers, with times (a trigger reads those after it was sent).
  const seen = [];
  let ghCount = 0;
  const push = double.requests.push.bind(double.requests);
  double.requests.push = (...entries) => {
    const at = now();
    ghCount += entries.length;
    for (const e of entries) seen.push({ key: `${e.method} ${e.path}`, at });
    if (seen.length > 20000) seen.splice(0, 10000);
    return push(...entries);
  };
  const files = {
    "README.md": "# r\n",
    ".gitcrew/crew.cue": 'defaults: limits: { timeout: "2m", memory: "512m", cpus: 1 }\nceilings: { timeout: "2h", memory: "8g", cpus: 4 }\n',
    ".gitcrew/agents/dev/agent.yaml": `runtime: command\nimage: ${IMAGE}\ncommand: ["sh", "-c", "date +%s%N; echo done"]\n`,
    ".gitcrew/agents/dev/instructions.md": "Say the time.\n",
  };
  const plain = join(work, "origins", "plain.git");
  await createBareRepo(plain, { "README.md": "# no crew\n" });
  const crewed = [];
  let gitConfig = "";
  for (let i = 0; i < REPOS; i++) {
    const full = name(i);
    let dir = plain;
    if (i % CREW_EVERY === 0) {
      dir = join(work, "origins", `r${i}.git`);
      await createBareRepo(dir, files);
      crewed.push(full);
      gitConfig += `[url "${dir}"]\n\tinsteadOf = ${double.url}/${full}.git\n`;
    }
    double.addRepo(full, dir);
    double.setPermission(full, "alice", "write");
  }
  const xdg = join(work, "xdg");
  mkdirSync(join(xdg, "git"), { recursive: true });
  writeFileSync(join(xdg, "git", "config"), gitConfig);
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  double.addInstallation({ id: 42, appId: 4242, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), appSlug: "crew-app", owner: "acme" });
  const pem = join(work, "app.pem");
  writeFileSync(pem, privateKey.export({ type: "pkcs8", format: "pem" }).toString(), { mode: 0o600 });

  // Container starts by the gitcrew.run label.
  const starts = new Map();
  const events = spawn("docker", ["events", "--filter", "type=container", "--filter", "event=start", "--format", '{{.TimeNano}} {{index .Actor.Attributes "gitcrew.run"}}']);
  let evBuf = "";
  events.stdout.on("data", (d) => {
    evBuf += d.toString();
    const lines = evBuf.split("\n");
    evBuf = lines.pop() ?? "";
    for (const line of lines) {
      const [ns, run] = line.trim().split(" ");
      if (ns && run) starts.set(run, Number(BigInt(ns) / 1000n) / 1000);
    }
  });

  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(GITHUB_|GH_|GITCREW_|MULTI_REPO_|NODE_OPTIONS)/.test(k)) delete env[k];
  let serial = 0;
  async function startServe(kind) {
    const root = join(work, `${kind}-${++serial}`);
    const home = join(root, "home");
    mkdirSync(home, { recursive: true });
    const args = kind === "one" ? ["serve", "--repo", ONE] : ["serve", "--repos", "acme/*"];
    if (kind === "one") {
      // The one repository's clone is there already (a restart of a one-repository server), its origin the double's URL.
      const dir = join(home, "repos", "acme", "r0000");
      execFileSync("git", ["clone", "--quiet", "--no-tags", `${double.url}/${ONE}.git`, dir], { env: { ...env, XDG_CONFIG_HOME: xdg } });
    }
    const logs = [];
    const t0 = now();
    // MULTI_REPO_PROFILE=DIR: a .cpuprofile of every serve process (node --cpu-prof), to see where its time goes.
    const prof = process.env.MULTI_REPO_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.MULTI_REPO_PROFILE}/${kind}`] : [];
    const child = spawn(process.execPath, [...prof, CLI, ...args], {
      env: {
        ...env,
        XDG_CONFIG_HOME: xdg,
        GITCREW_HOME: home,
        GITCREW_WEBHOOK_SECRET: SECRET,
        GITCREW_API_TOKEN: API_TOKEN,
        GITCREW_STORE: join(root, "gitcrew.db"),
        GITCREW_HOST: "127.0.0.1",
        GITCREW_PORT: "0",
        GITCREW_INSTANCE: `bench-${kind}-${serial}`,
        GITHUB_APP_ID: "4242",
        GITHUB_APP_PRIVATE_KEY_FILE: pem,
        GITHUB_API_URL: double.url,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let errBuf = "";
    child.stderr.on("data", (d) => {
      errBuf += d.toString();
      const lines = errBuf.split("\n");
      errBuf = lines.pop() ?? "";
      const at = now();
      for (const line of lines) logs.push({ at, line });
      if (logs.length > 20000) logs.splice(0, 10000);
    });
    let out = "";
    const url = await new Promise((res, rej) => {
      child.stdout.on("data", (d) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) res(m[1]);
      });
      child.once("exit", (code) => rej(new Error(`gitcrew serve (${kind}) exited ${code}:\n${out}\n${logs.map((l) => l.line).join("\n")}`)));
    });
    const listening = now() - t0;
    let ready = NaN;
    for (const end = now() + 30_000; now() < end; ) {
      const r = await fetch(`${url}/readyz`).catch(() => undefined);
      await r?.arrayBuffer().catch(() => undefined);
      if (r?.ok) {
        ready = now() - t0;
        break;
      }
      await new Promise((res) => setTimeout(res, 5));
    }
    const startTrace = logs.slice(0, 10).map((l) => `${(l.at - t0).toFixed(0)} ${l.line.slice(25, 120).replace(/\/tmp\/\S+/g, "…")}`);
    return { kind, child, url, logs, listening, ready, rssMB: rssMB(child.pid), startTrace, db: join(root, "gitcrew.db") };
  }
  async function stopServe(s) {
    if (s.child.exitCode !== null) return;
    const exited = new Promise((r) => s.child.once("exit", r));
    s.child.kill("SIGTERM");
    const t = setTimeout(() => s.child.kill("SIGKILL"), 8000);
    await exited;
    clearTimeout(t);
  }

  async function until(check, what, ms) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const v = await check();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 3));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  let triggerN = 0;
  async function trigger(s, repo, kind) {
    const issue = double.addIssue(repo, { title: `bench ${++triggerN}`, user: "alice" });
    const { payload, comment } = double.addComment(repo, issue.number, "alice", "@dev what time is it?");
    const id = `bench-multi-${process.pid}-${triggerN}`;
    const sent = now();
    const d = await double.deliver(`${s.url}/webhooks`, "issue_comment", payload, SECRET, id).catch(() => double.deliver(`${s.url}/webhooks`, "issue_comment", payload, SECRET, id));
    const answered = now() - sent;
    if (d.status !== 202) throw new Error(`webhook answered ${d.status}`);
    const label = `${d.deliveryId}:dev`.replace(/[^A-Za-z0-9._-]+/g, "_");
    const started = await until(() => starts.get(label), `the container start (${repo})`, 60_000);
    const first = await until(() => {
      for (const c of double.comments(repo, issue.number)) {
        const m = c.user !== "alice" ? /\b(1\d{18})\b/.exec(c.body) : null;
        if (m?.[1]) return Number(BigInt(m[1]) / 1000n) / 1000;
      }
      return undefined;
    }, `the answer (${repo})`, 60_000);
    const after = (at) => (at === undefined ? NaN : at - sent);
    const [o, n] = repo.split("/");
    const req = (key) => seen.find((x) => x.at >= sent && x.key === key)?.at;
    const log = (re) => s.logs.find((l) => l.at >= sent && re.test(l.line))?.at;
    const esc = repo.replace("/", "\\/");
    return {
      kind,
      repo,
      answered,
      installation: after(req(`GET /repos/${o}/${n}/installation`)),
      token: after(seen.find((x) => x.at >= sent && x.key === "POST /app/installations/42/access_tokens")?.at),
      contents: after(req(`GET /repos/${o}/${n}/contents/.gitcrew`)),
      cloneStart: after(log(new RegExp(`cloning \\S+${esc}\\.git`))),
      crewLoaded: after(log(new RegExp(`${esc}: crew: loaded`))),
      eyes: after(req(`POST /repos/${o}/${n}/issues/comments/${comment.id}/reactions`)),
      started: started - sent,
      firstLine: first - sent,
      trace: kind === "cold" ? seen.filter((x) => x.at >= sent).slice(0, 12).map((x) => `${(x.at - sent).toFixed(0)} ${x.key}`) : undefined,
      logTrace: kind === "cold" ? s.logs.filter((l) => l.at >= sent).slice(0, 12).map((l) => `${(l.at - sent).toFixed(0)} ${l.line.slice(25, 140)}`) : undefined,
    };
  }

  /** Closed loop: CONNECTIONS keep-alive clients, TOTAL unique signed webhooks; 202s per second and p99. */
  let seq = 0;
  async function intake(s) {
    const target = new URL(s.url);
    const bodies = [];
    for (let i = 0; i < TOTAL; i++) {
      const full = s.kind === "one" ? ONE : name(i % REPOS);
      const [owner, repoName] = full.split("/");
      // default_branch: the example says master; these repositories' branch (and crew) is main.
      const p = { ...example, repository: { ...example.repository, name: repoName, full_name: full, default_branch: "main", owner: { ...example.repository.owner, login: owner } }, bench_seq: `${process.pid}-${++seq}` };
      const text = JSON.stringify(p);
      bodies.push({ text, sig: `sha256=${createHmac("sha256", SECRET).update(text).digest("hex")}`, id: `bench-intake-${process.pid}-${seq}` });
    }
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const lat = [];
    let next = 0;
    let failed = 0;
    const post = (b) =>
      new Promise((res) => {
        const t = performance.now();
        const req = request(
          { host: target.hostname, port: target.port, path: "/webhooks", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(b.text), "x-github-event": "issue_comment", "x-github-delivery": b.id, "x-hub-signature-256": b.sig } },
          (r) => {
            r.resume();
            r.on("end", () => {
              if (r.statusCode === 202) lat.push(performance.now() - t);
              else failed++;
              res();
            });
          },
        );
        req.on("error", () => (failed++, res()));
        req.end(b.text);
      });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => { while (next < bodies.length) await post(bodies[next++]); }));
    const secs = (performance.now() - t0) / 1000;
    agent.destroy();
    if (failed) problems.push(`${s.kind}: ${failed} of ${TOTAL} intake webhooks not answered 202`);
    lat.sort((a, b) => a - b);
    return { rps: lat.length / secs, p99: lat[Math.min(lat.length - 1, Math.floor(0.99 * lat.length))] };
  }

  /** After the intake round: how fast the worker gets through what was committed (pending deliveries, read from the store), for at most DRAIN_S. */
  const Database = require("better-sqlite3");
  async function drain(s) {
    const db = new Database(s.db, { readonly: true, fileMustExist: true });
    const pending = () => db.prepare("SELECT count(*) AS n FROM gc_deliveries WHERE state = 'pending'").get().n;
    const t0 = now();
    const at0 = pending();
    let left = at0;
    while (left > 0 && now() - t0 < DRAIN_S * 1000) {
      await new Promise((r) => setTimeout(r, 250));
      left = pending();
    }
    const secs = (now() - t0) / 1000;
    db.close();
    const drainTrace = s.logs.slice(-8).map((l) => l.line.slice(0, 200).replace(/\/tmp\/\S+/g, "…"));
    return { drainTrace, pendingAfterIntake: at0, drainS: left === 0 ? secs : NaN, handledPerS: (at0 - left) / secs, pendingLeft: left };
  }

  const rounds = [];
  try {
    for (let r = 1; r <= ROUNDS; r++) {
      const round = { triggers: [] };
      // Floors: the clone and the fetch git does for a repository never seen, without gitcrew.
      const floorDir = join(work, `floor-${r}`);
      const gitEnv = { ...env, XDG_CONFIG_HOME: xdg };
      let t = now();
      execFileSync("git", ["clone", "--quiet", "--no-tags", `${double.url}/${crewed[crewed.length - 1]}.git`, floorDir], { env: gitEnv });
      round.cloneMs = now() - t;
      t = now();
      execFileSync("git", ["-C", floorDir, "fetch", "--quiet", "origin"], { env: gitEnv });
      round.fetchMs = now() - t;
      rmSync(floorDir, { recursive: true, force: true });
      for (const kind of ["one", "many"]) {
        const s = await startServe(kind);
        try {
          round[kind] = { listening: s.listening, ready: s.ready, rssMB: s.rssMB, startTrace: s.startTrace };
          // The process's first run (runner and engine warm-up), reported apart.
          round.triggers.push(await trigger(s, kind === "one" ? ONE : crewed[crewed.length - r], `first-${kind}`));
          if (kind === "one") {
            round.triggers.push(await trigger(s, ONE, "one"));
            round.triggers.push(await trigger(s, ONE, "one"));
          } else {
            // Two crewed repositories this process never saw, then the same two warm.
            const cold = [crewed[2 * r - 1], crewed[2 * r]].filter(Boolean);
            for (const repo of cold) round.triggers.push(await trigger(s, repo, "cold"));
            for (const repo of cold) round.triggers.push(await trigger(s, repo, "warm"));
          }
          const gh0 = ghCount;
          const cpu0 = cpuSeconds(s.child.pid);
          Object.assign(round[kind], await intake(s));
          // What the server did meanwhile: its CPU per webhook (µs) and the GitHub requests its worker made.
          round[kind].cpuUs = ((cpuSeconds(s.child.pid) - cpu0) * 1e6) / TOTAL;
          round[kind].ghRequests = ghCount - gh0;
          Object.assign(round[kind], await drain(s));
          round[kind].rssAfterMB = rssMB(s.child.pid);
        } catch (err) {
          problems.push(`round ${r}, ${kind}: ${err.message.split("\n").slice(0, 3).join(" ")}`);
          process.stderr.write(`serve (${kind}) log, last lines:\n${s.logs.slice(-25).map((l) => l.line).join("\n")}\n`);
        } finally {
          await stopServe(s);
        }
      }
      rounds.push(round);
      process.stderr.write(`round ${r}/${ROUNDS}: ${JSON.stringify(round)}\n`);
    }
  } finally {
    events.kill();
    await double.stop();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ rounds, problems }));
}

function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

function rssMB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
