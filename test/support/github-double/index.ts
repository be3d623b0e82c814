/**
 * A stateful double of GitHub's REST API on loopback, checked against
 * GitHub's OpenAPI description. See docs/github.md for how tests use it.
 */
export { GitHubDouble, type DoubleOptions, type Latency } from "./double.js";
export type { OAuthApp } from "./oauth.js";
export type { FaultSpec } from "./faults.js";
export type { LoggedRequest } from "./server.js";
export type { Violation } from "./validator.js";
export { examplePayload, deliverWebhook, type Delivery } from "./webhooks.js";
export { createBareRepo, pushCommit } from "./git-fixture.js";
export { startDoubleWithRepo, type DoubleRepo } from "./setup.js";
