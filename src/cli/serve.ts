/** `gitcrew serve`: the webhook receiver and worker, until SIGTERM. */
import type { CliIo, Verb } from "./io.js";
import { parseFlags } from "./args.js";
import { describeStore, defaultStorePath, openStore } from "../store/index.js";
import { startServer } from "../server/index.js";
import { readSettings, type ServeFlags } from "../server/settings.js";
import { removeServerFile, writeServerFile } from "../server/client.js";
import { createDefaultPipeline } from "../server/default-pipeline.js";
import { dashboardSignIn } from "../server/dashboard/serve-options.js";
import type { PipelineFactory } from "../server/pipeline.js";
import { EXIT } from "../util/errors.js";
import { terminalSafe } from "../util/terminal-text.js";

const usage = `Usage: gitcrew serve --repo OWNER/NAME|PATH --webhook-secret-file FILE [flags]
       gitcrew serve --repos 'acme/*,!acme/secrets' --app-id ID --private-key-file PEM --webhook-secret-file FILE [flags]

Receive GitHub webhooks, queue them durably and run agents on this machine,
for one repository (--repo) or many (--repos; with a GitHub App and neither,
every repository of its installations). Each repository runs its own crew
from its default branch; its clone is made at its first event.

Secrets: give them as files (mode 0600) or environment variables. A secret
given as a flag (--webhook-secret, --api-token, --github-token,
--oauth-client-secret) is visible to every local user in \`ps\` and is warned about.

Flags (each also from an environment variable):
  --repo OWNER/NAME|PATH     the one repository whose crew runs  GITCREW_REPO
  --repos PATTERNS           repositories served: comma-separated GITCREW_REPOS
                             globs over OWNER/NAME (acme/*, acme/web-*), "!" excludes,
                             the last match decides; a list starting with "!" starts from all
  --repo-concurrency N       runs of one repository at once      GITCREW_REPO_CONCURRENCY
                             (all instances; default: only --concurrency bounds them)
  --checkout-budget SIZE     disk for clones before the least    GITCREW_CHECKOUT_BUDGET
                             recently used go (10g)
  --webhook-secret-file FILE the GitHub webhook secret           GITCREW_WEBHOOK_SECRET_FILE
                             (or its value in                    GITCREW_WEBHOOK_SECRET)
  --store PATH|URL           SQLite file or postgres:// URL      GITCREW_STORE
                             (default: ~/.gitcrew/gitcrew.db, or $GITCREW_HOME/gitcrew.db;
                             a URL with a password: the variable, not the flag)
  --host HOST                listen address (default 127.0.0.1)  GITCREW_HOST
  --port PORT                listen port (default 3000)          GITCREW_PORT
  --concurrency N            runs at once on this instance (4)   GITCREW_CONCURRENCY
  --api-token-file FILE      token of the local API (random)     GITCREW_API_TOKEN_FILE
                             (or its value in                    GITCREW_API_TOKEN)
  --grace SECONDS            SIGTERM: time for runs to finish, then they are requeued
                             (30; a second signal requeues at once)  GITCREW_SHUTDOWN_GRACE
  --lease SECONDS            lease of a claimed run (30)         GITCREW_LEASE_SECONDS
  --instance NAME            name in leases (host:pid)           GITCREW_INSTANCE
  --github-token-file FILE   token for the GitHub API and git    GITHUB_TOKEN_FILE
                             (or its value in                    GITHUB_TOKEN)
  --app-id ID                GitHub App id (instead of a token)  GITHUB_APP_ID
  --private-key-file PEM     the GitHub App's private key        GITHUB_APP_PRIVATE_KEY_FILE
  --github-api-url URL       GitHub Enterprise API (https://HOST/api/v3)  GITHUB_API_URL
  --crew-refresh SECONDS     fetch the default branch every (60) GITCREW_CREW_REFRESH
  --retain-days DAYS         forget finished runs, their logs and GITCREW_RETAIN_DAYS
                             deliveries after (30; 0: keep all)
  --max-body SIZE            largest webhook body (1m; up to 25m) GITCREW_MAX_BODY

Dashboard (GET /): sign-in with GitHub through a GitHub App's or an OAuth app's client;
a person sees a repository's runs with read access to it, cancels and retries with write.
  --oauth-client-id ID       the App's or OAuth app's client id  GITCREW_OAUTH_CLIENT_ID
  --oauth-client-secret-file FILE  its client secret             GITCREW_OAUTH_CLIENT_SECRET_FILE
                             (or its value in                    GITCREW_OAUTH_CLIENT_SECRET)
  --public-url URL           how browsers reach this server      GITCREW_PUBLIC_URL
                             (the callback is URL/auth/callback; https: Secure cookies;
                             default: the listen address)
  --github-web-url URL       GitHub's web address for sign-in    GITCREW_GITHUB_WEB_URL
                             (https://github.com; GitHub Enterprise: https://HOST)

Endpoints: POST /webhooks, GET /healthz, /readyz (?repo=OWNER/NAME: one repository),
/metrics, /api/* (the API token, or a dashboard session), / and /auth/* (the dashboard).`;

const FLAGS = {
  repo: { type: "string" },
  repos: { type: "string" },
  "repo-concurrency": { type: "string" },
  "checkout-budget": { type: "string" },
  "webhook-secret": { type: "string" },
  "webhook-secret-file": { type: "string" },
  store: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  concurrency: { type: "string" },
  "api-token": { type: "string" },
  "api-token-file": { type: "string" },
  grace: { type: "string" },
  lease: { type: "string" },
  instance: { type: "string" },
  "github-token": { type: "string" },
  "github-token-file": { type: "string" },
  "app-id": { type: "string" },
  "private-key-file": { type: "string" },
  "github-api-url": { type: "string" },
  "crew-refresh": { type: "string" },
  "retain-days": { type: "string" },
  "max-body": { type: "string" },
  "oauth-client-id": { type: "string" },
  "oauth-client-secret": { type: "string" },
  "oauth-client-secret-file": { type: "string" },
  "public-url": { type: "string" },
  "github-web-url": { type: "string" },
} as const;

/** The verb with its pipeline injected (tests pass a trivial one). */
export async function serve(io: CliIo, createPipeline: PipelineFactory): Promise<number> {
  const { values } = parseFlags(io.argv, FLAGS, usage);
  const settings = readSettings(values as ServeFlags, io.env, usage);
  // Text from GitHub or agents inside an entry never drives the terminal, and its further lines are indented: none looks like an entry.
  const log = (line: string) => io.stderr(`${new Date().toISOString()} ${terminalSafe(line).replace(/\n/g, "\n    ")}\n`);
  for (const warning of settings.warnings) log(`warning: ${warning}`);
  const storeSpec = settings.store ?? defaultStorePath(io.env);
  const store = await openStore(storeSpec, { cwd: io.cwd, env: io.env });
  const pipeline = await createPipeline({ repo: settings.repo, store, env: io.env, cwd: io.cwd, log, settings });
  const server = await startServer({
    store,
    pipeline,
    webhookSecret: settings.webhookSecret,
    apiToken: settings.apiToken,
    host: settings.host,
    port: settings.port,
    concurrency: settings.concurrency,
    ...(settings.repoConcurrency ? { repoLimit: settings.repoConcurrency } : {}),
    instance: settings.instance,
    leaseMs: settings.leaseSeconds * 1000,
    retainMs: settings.retainDays * 24 * 3_600_000,
    maxBodyBytes: settings.maxBodyBytes,
    dashboard: dashboardSignIn(settings, log),
    log,
  });
  const file = writeServerFile({ url: server.url, token: settings.apiToken, pid: process.pid }, io.env);
  io.stdout(`gitcrew serve: listening on ${server.url} (store ${describeStore(storeSpec)}, instance ${settings.instance}); API token in ${file}\n`);

  const signal = io.signal ?? new AbortController().signal;
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
  log(`shutting down: no new deliveries; running runs get ${settings.graceSeconds}s (a second SIGTERM or SIGINT requeues them and exits now)`);
  // The first signal was taken by the entry's once-listeners; a second one would otherwise kill the process without requeueing.
  const hurry = () => (log("second signal: requeueing running runs now"), server.worker.hurry());
  process.on("SIGTERM", hurry);
  process.on("SIGINT", hurry);
  try {
    await server.stop(settings.graceSeconds * 1000);
  } finally {
    process.off("SIGTERM", hurry);
    process.off("SIGINT", hurry);
  }
  removeServerFile(io.env);
  await store.close();
  log("stopped");
  return EXIT.ok;
}

export const verb: Verb = {
  summary: "Receive GitHub webhooks and run agents as a service",
  usage,
  run: (io) => serve(io, createDefaultPipeline),
};
