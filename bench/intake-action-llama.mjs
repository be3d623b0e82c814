// The webhook gateway of @action-llama/action-llama (installed at bench time
// into node_modules/.cache/bench-ext, never into package.json), started on
// loopback the way its scheduler starts it (scheduler/gateway-setup.js,
// scheduler/persistence.js): its Hono gateway, its GitHub provider (HMAC
// check), its SQLite database with migrations, webhook receipts in its stats
// store, and a binding that puts each event on its durable SQLite work queue
// (what its dispatch does when the agent's runners are busy). No agent, no
// model, no network. Prints "listening on URL" like bench/intake-server.ts.
// Usage: node bench/intake-action-llama.mjs PACKAGE_DIR DATA_DIR SECRET
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pkg, dataDir, secret] = process.argv.slice(2);
const load = (rel) => import(pathToFileURL(join(pkg, "dist", rel)).href);

const noop = () => undefined;
const logger = { info: noop, warn: noop, error: noop, debug: noop, trace: noop, fatal: noop, child: () => logger };

const { runMigrations } = await load("db/migrate.js");
const { StatsStore } = await load("stats/index.js");
const { SqliteWorkQueue } = await load("events/event-queue-sqlite.js");
const { WebhookRegistry } = await load("webhooks/registry.js");
const { GitHubWebhookProvider } = await load("webhooks/providers/github.js");
const { startGateway } = await load("gateway/index.js");

const db = runMigrations(join(dataDir, ".al", "action-llama.db"), join(pkg, "drizzle"));
const statsStore = new StatsStore(db);
const queue = new SqliteWorkQueue(1_000_000, db);
const registry = new WebhookRegistry(logger);
registry.registerProvider(new GitHubWebhookProvider());
registry.addBinding({ agentName: "dev", source: "default", type: "github", trigger: (context) => (queue.enqueue("dev", context, new Date()), true) });

const gateway = await startGateway({
  port: 0,
  hostname: "127.0.0.1",
  logger,
  webhookRegistry: registry,
  webhookSecrets: { github: { default: secret } },
  webhookConfigs: { github: { type: "github" } },
  statsStore,
});
console.log(`listening on http://127.0.0.1:${gateway.server.address().port}/webhooks/github`);
process.once("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
