import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  parseFlags
} from "./chunk-S5X7QBCU.js";
import {
  EXIT,
  EnvironmentError,
  GitcrewError,
  UsageError
} from "./chunk-QEBERIHX.js";
import "./chunk-7Q4FUQQA.js";

// src/crew/types.ts
var RUNTIMES = ["claude", "codex", "gemini", "command"];

// src/runner/images/docker-cli.ts
import { spawn } from "node:child_process";
function exec(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: [opts.input ? "pipe" : "ignore", "pipe", "pipe"] });
    let out = "";
    let tail = "";
    const onData = (chunk, keep) => {
      const text = chunk.toString("utf8");
      if (keep) out += text;
      tail = (tail + text).slice(-4e3);
      for (const line of text.split(/\r?\n|\r/)) if (line.trim()) opts.log?.(line, "output");
    };
    child.stdout?.on("data", (c) => onData(c, true));
    child.stderr?.on("data", (c) => onData(c, false));
    if (opts.input && child.stdin) opts.input.pipe(child.stdin);
    child.on(
      "error",
      (err) => reject(err.code === "ENOENT" ? new EnvironmentError(`"${cmd}" is not installed`, `install it (Debian: apt-get install ${cmd === "docker" ? "docker.io" : cmd})`) : err)
    );
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new GitcrewError(`${cmd} ${args.slice(0, 2).join(" ")} failed (exit ${code}):
${tail.trim()}`, EXIT.environment));
    });
  });
}
async function imageLabel(tag, label) {
  try {
    return (await exec("docker", ["image", "inspect", "--format", `{{index .Config.Labels ${JSON.stringify(label)}}}`, tag])).trim().replace(/^<no value>$/, "");
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    return void 0;
  }
}

// src/runner/images/offline-base.ts
import { chmodSync, createReadStream, existsSync as existsSync2, mkdirSync as mkdirSync2, mkdtempSync, copyFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";

// src/runner/images/paths.ts
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
function dockerTemplatesDir() {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (; ; ) {
    const candidate = join(dir, "templates", "docker");
    if (existsSync(join(candidate, "bin", "gitcrew-channel.mjs"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new EnvironmentError("cannot find gitcrew's templates/docker folder", "reinstall gitcrew: the package ships templates/");
    dir = parent;
  }
}
function writable(dir) {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
function cacheDir(env = process.env) {
  const choices = [env.GITCREW_CACHE, "/var/cache/gitcrew", join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "gitcrew")];
  for (const dir of choices) if (dir && writable(dir)) return dir;
  throw new EnvironmentError("no writable cache folder for image builds", "set GITCREW_CACHE to a writable folder");
}

// src/runner/images/offline-base.ts
var ROOTFS_IMAGE = "gitcrew/rootfs:bookworm";
var BASE_IMAGE = "gitcrew/base:latest";
var MIRROR_DEFAULT = "http://deb.debian.org/debian";
var IMAGE_GENERATION = "3";
var ROOTFS_GENERATION = "2";
var GENERATION_LABEL = "gitcrew.generation";
var IMAGE_NODE_MAJOR = "24";
var NODE_LABEL = "gitcrew.node";
async function imageCurrent(tag, generation = IMAGE_GENERATION) {
  return await imageLabel(tag, GENERATION_LABEL) === generation;
}
async function rootfsTarball({ log, env = process.env }) {
  const dir = cacheDir(env);
  const name = `bookworm-minbase-g${ROOTFS_GENERATION}.tar`;
  const tarball = join2(dir, name);
  if (existsSync2(tarball)) return tarball;
  for (const f of readdirSync(dir)) if (/^bookworm-minbase.*\.tar$/.test(f) && f !== name) rmSync(join2(dir, f), { force: true });
  if (process.getuid?.() !== 0) {
    throw new EnvironmentError("building the offline base image needs root (debootstrap)", "run `sudo gitcrew images build --offline` once; later builds reuse the cached rootfs");
  }
  const root = mkdtempSync(join2(tmpdir(), "gitcrew-rootfs-"));
  try {
    log(`debootstrap: minimal Debian bookworm into ${root} (a few minutes, once)`);
    const mirror = env.GITCREW_DEBIAN_MIRROR ?? MIRROR_DEFAULT;
    await exec("debootstrap", ["--variant=minbase", "--include=git,ca-certificates", "bookworm", root, mirror], { log });
    await exec("sh", ["-c", 'rm -rf "$0"/var/lib/apt/lists/* "$0"/var/cache/apt/archives/*.deb "$0"/var/cache/apt/*.bin', root]);
    chmodSync(root, 493);
    await exec("tar", ["--numeric-owner", "-C", root, "-cf", `${tarball}.partial`, "."]);
    renameSync(`${tarball}.partial`, tarball);
    return tarball;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
async function imageNode({ log, env = process.env }, refresh) {
  if (process.arch !== "x64" && process.arch !== "arm64") {
    throw new EnvironmentError(`offline images are built for x64 and arm64 hosts; this one is ${process.arch}`);
  }
  const pkg = `node-linux-${process.arch}`;
  const prefix = join2(cacheDir(env), `node${IMAGE_NODE_MAJOR}-linux-${process.arch}`);
  const bin = join2(prefix, "node_modules", pkg, "bin", "node");
  if (existsSync2(bin) && !refresh) return bin;
  mkdirSync2(prefix, { recursive: true });
  log(`npm install ${pkg}@${IMAGE_NODE_MAJOR} (the images' Node)`);
  await exec("npm", ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", `${pkg}@${IMAGE_NODE_MAJOR}`], { log, cwd: prefix });
  if (!existsSync2(bin)) throw new EnvironmentError(`${pkg}@${IMAGE_NODE_MAJOR} installed no bin/node`, `remove ${prefix} and build again`);
  return bin;
}
var baseDockerfile = (nodeVersion) => `FROM ${ROOTFS_IMAGE}
LABEL ${GENERATION_LABEL}=${IMAGE_GENERATION} ${NODE_LABEL}=${nodeVersion}
COPY node /usr/local/bin/node
RUN groupadd -g 1000 agent && useradd -u 1000 -g 1000 -m -d /home/agent -s /bin/bash agent \\
 && mkdir -p /workspace /gitcrew && chown agent:agent /workspace \\
 && node --version && git --version
ENV HOME=/home/agent LANG=C.UTF-8 PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
USER 1000:1000
WORKDIR /workspace
CMD ["bash"]
`;
async function ensureBaseImage(opts) {
  if (!opts.force && await imageCurrent(BASE_IMAGE)) {
    opts.log(`${BASE_IMAGE}: present`);
    return;
  }
  if (opts.force || !await imageCurrent(ROOTFS_IMAGE, ROOTFS_GENERATION)) {
    const tarball = await rootfsTarball(opts);
    opts.log(`docker import ${tarball} \u2192 ${ROOTFS_IMAGE}`);
    await exec("docker", ["import", "--change", `LABEL ${GENERATION_LABEL}=${ROOTFS_GENERATION}`, "-", ROOTFS_IMAGE], { input: createReadStream(tarball), log: opts.log });
  }
  const node = await imageNode(opts, opts.force === true);
  const nodeVersion = (await exec(node, ["--version"])).trim();
  const ctx = mkdtempSync(join2(tmpdir(), "gitcrew-base-"));
  try {
    copyFileSync(node, join2(ctx, "node"));
    writeFileSync(join2(ctx, "Dockerfile"), baseDockerfile(nodeVersion));
    opts.log(`docker build ${BASE_IMAGE}`);
    await exec("docker", ["build", "-t", BASE_IMAGE, ctx], { log: opts.log });
    opts.log(`${BASE_IMAGE}: built (Node ${nodeVersion})`);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

// src/runner/images/runtime-images.ts
import { cpSync, mkdirSync as mkdirSync3, mkdtempSync as mkdtempSync2, rmSync as rmSync2, writeFileSync as writeFileSync2 } from "node:fs";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join3 } from "node:path";
var AGENT_CLI = {
  claude: { pkg: "@anthropic-ai/claude-code", bin: "claude" },
  codex: { pkg: "@openai/codex", bin: "codex" },
  gemini: { pkg: "@google/gemini-cli", bin: "gemini" },
  command: void 0
};
function imageTag(runtime) {
  return `gitcrew/${runtime}:latest`;
}
function dockerfile(runtime) {
  const cli = AGENT_CLI[runtime];
  const lines = [
    `FROM ${BASE_IMAGE}`,
    "COPY bin/gitcrew-channel.mjs /usr/local/lib/gitcrew/gitcrew-channel.mjs",
    "COPY bin/gitcrew-status bin/gitcrew-return bin/gitcrew-request-approval /usr/local/bin/"
  ];
  if (cli) {
    lines.push(
      "COPY cli/ /opt/gitcrew/cli/",
      "ENV PATH=/opt/gitcrew/cli/node_modules/.bin:/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
      `RUN ${cli.bin} --version`
    );
  }
  lines.push(`LABEL gitcrew.runtime=${runtime}`, "USER 1000:1000", "WORKDIR /workspace");
  return lines.join("\n") + "\n";
}
async function ensureRuntimeImage(runtime, opts) {
  const tag = imageTag(runtime);
  if (!opts.force && await imageCurrent(tag)) {
    opts.log(`${tag}: present`);
    return;
  }
  const ctx = mkdtempSync2(join3(tmpdir2(), `gitcrew-${runtime}-`));
  try {
    const bin = join3(ctx, "bin");
    mkdirSync3(bin);
    cpSync(join3(dockerTemplatesDir(), "bin"), bin, { recursive: true });
    const cli = AGENT_CLI[runtime];
    if (cli) {
      const prefix = join3(ctx, "cli");
      mkdirSync3(prefix);
      writeFileSync2(join3(prefix, "package.json"), '{"private":true}\n');
      opts.log(`npm install ${cli.pkg} (for ${tag})`);
      await exec("npm", ["install", "--no-audit", "--no-fund", "--omit=dev", "--prefix", prefix, cli.pkg], { log: opts.log, cwd: prefix });
    }
    writeFileSync2(join3(ctx, "Dockerfile"), dockerfile(runtime));
    opts.log(`docker build ${tag}`);
    await exec("docker", ["build", "-t", tag, ctx], { log: opts.log });
    opts.log(`${tag}: built`);
  } finally {
    rmSync2(ctx, { recursive: true, force: true });
  }
}

// src/runner/images/index.ts
import { join as join4 } from "node:path";
var BUILD_ORDER = ["command", "claude", "codex", "gemini"];
async function buildImages(opts) {
  const wanted = BUILD_ORDER.filter((r) => (opts.runtimes ?? RUNTIMES).includes(r));
  const outcomes = [];
  if (opts.offline) await ensureBaseImage(opts);
  for (const runtime of wanted) {
    const image = imageTag(runtime);
    try {
      if (!opts.offline) opts.log(`docker build ${image}`);
      if (opts.offline) await ensureRuntimeImage(runtime, opts);
      else await exec("docker", ["build", "-t", image, "-f", join4(dockerTemplatesDir(), `${runtime}.Dockerfile`), dockerTemplatesDir()], { log: opts.log });
      outcomes.push({ runtime, image, ok: true });
    } catch (err) {
      outcomes.push({ runtime, image, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return outcomes;
}

// src/runner/images/progress.ts
var LAYER = /^(Step \d+\/\d+ : |#\d+ \[[^\]]*\d+\/\d+\] )/;
function seconds(ms) {
  return `${(ms / 1e3).toFixed(1)}s`;
}
var BuildProgress = class {
  constructor(opts) {
    this.opts = opts;
    this.now = opts.now ?? (() => performance.now());
    this.t0 = this.now();
    if (opts.tty) this.timer = setInterval(() => this.redraw(), 1e3);
    this.timer?.unref?.();
  }
  t0;
  stepStart = 0;
  step;
  live = "";
  timer;
  now;
  /** The log function for the build: `(line, kind)`. */
  log = (line, kind = "step") => {
    const text = line.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "").trimEnd();
    if (!text.trim()) return;
    if (kind === "step") this.startStep(text);
    else if (LAYER.test(text.trim())) this.keep(`  ${text.trim()}`);
    else this.output(text);
  };
  /** Ends the last step; prints the total. */
  end(ok) {
    if (this.timer) clearInterval(this.timer);
    this.finishStep();
    this.plainOrKept(`${ok ? "done" : "stopped"} in ${seconds(this.now() - this.t0)}`);
  }
  startStep(text) {
    this.finishStep();
    this.step = text;
    this.stepStart = this.now();
    if (this.opts.tty) this.redraw();
    else this.opts.write(`[${this.stamp()}] ${text}
`);
  }
  finishStep() {
    if (!this.step) return;
    const took = seconds(this.now() - this.stepStart);
    if (this.opts.tty) this.keep(`\u2713 ${this.step} (${took})`);
    this.step = void 0;
    this.live = "";
  }
  output(text) {
    if (!this.opts.tty) {
      this.opts.write(`[${this.stamp()}]   ${text}
`);
      return;
    }
    this.live = text.trim();
    this.redraw();
  }
  /** A line that stays (a finished step, a layer); the live line is drawn again under it. */
  keep(text) {
    if (!this.opts.tty) {
      this.opts.write(`[${this.stamp()}] ${text}
`);
      return;
    }
    this.opts.write(`\r\x1B[K${text}
`);
    this.redraw();
  }
  plainOrKept(text) {
    if (this.opts.tty) this.opts.write(`\r\x1B[K${text}
`);
    else this.opts.write(`[${this.stamp()}] ${text}
`);
  }
  redraw() {
    if (!this.opts.tty || !this.step) return;
    const head = `\u25B8 ${this.step} \xB7 ${seconds(this.now() - this.stepStart)}`;
    const width = (this.opts.columns ?? 80) - 1;
    const line = this.live ? `${head} \xB7 ${this.live}` : head;
    this.opts.write(`\r\x1B[K${line.length > width ? `${line.slice(0, width - 1)}\u2026` : line}`);
  }
  stamp() {
    return seconds(this.now() - this.t0).padStart(6);
  }
};

// src/cli/images.ts
var usage = `Usage: gitcrew images build [RUNTIME] [--offline] [--force] [--quiet]
       gitcrew images check [RUNTIME]

Builds gitcrew/<runtime>:latest for ${RUNTIMES.join(", ")} (all when RUNTIME is omitted).
  --offline  no container registry: debootstrap a minimal Debian (needs root once,
             cached), add node, git and the agent CLI from the npm registry
  --force    rebuild even when the image exists
  --quiet    no progress
Images that exist are reused, so a second run is fast (offline images only when
built by this version's recipe: see the gitcrew.generation label).
Progress goes to stderr: each step, each layer of a docker build and the time
spent; on a terminal one live line per step, elsewhere (CI) plain lines, each
with the elapsed time. stdout gets one line per image: IMAGE<TAB>ok|failed: \u2026
check builds nothing: IMAGE<TAB>ok|missing|outdated per image, exit 4 unless
all are ok.`;
var verb = {
  summary: "build the runtime images (offline from Debian packages with --offline)",
  usage,
  async run(io) {
    const { values, positionals } = parseFlags(
      io.argv,
      { offline: { type: "boolean" }, force: { type: "boolean" }, quiet: { type: "boolean" } },
      usage,
      true
    );
    const [sub, runtime, extra] = positionals;
    if (sub !== "build" && sub !== "check") throw new UsageError(sub ? `unknown images command "${sub}"` : "missing images command", usage);
    if (extra) throw new UsageError(`unexpected argument "${extra}"`, usage);
    if (runtime && !RUNTIMES.includes(runtime)) {
      throw new UsageError(`unknown runtime "${runtime}": expected one of ${RUNTIMES.join(", ")}`, usage);
    }
    if (sub === "check") {
      let all = true;
      for (const r of BUILD_ORDER.filter((b) => !runtime || b === runtime)) {
        const tag = imageTag(r);
        const state = await imageCurrent(tag) ? "ok" : await imageLabel(tag, "gitcrew.runtime") !== void 0 ? "outdated" : "missing";
        all &&= state === "ok";
        io.stdout(`${tag}	${state}
`);
      }
      return all ? EXIT.ok : EXIT.environment;
    }
    const progress = values.quiet ? void 0 : new BuildProgress({ write: io.stderr, tty: io.stderrIsTTY === true, columns: io.columns });
    let outcomes;
    try {
      outcomes = await buildImages({
        runtimes: runtime ? [runtime] : void 0,
        offline: values.offline === true,
        force: values.force === true,
        env: io.env,
        log: progress?.log ?? (() => void 0)
      });
    } finally {
      progress?.end(outcomes?.every((o) => o.ok) === true);
    }
    for (const o of outcomes) io.stdout(o.ok ? `${o.image}	ok
` : `${o.image}	failed: ${o.error ?? ""}
`);
    return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.environment;
  }
};
export {
  verb
};
