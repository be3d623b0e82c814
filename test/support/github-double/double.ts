/** The double's public face: start it, seed it, break it, read what was posted. */
import type { Server } from "node:http";
import { Octokit } from "@octokit/rest";
import type { Permission } from "../../../src/events/trigger.js";
import { HttpError, type Handler, type ProducedEvent } from "./context.js";
import { Faults, type Corruption, type FaultSpec } from "./faults.js";
import { sameTarget, Shapes } from "./objects.js";
import { appRoutes } from "./routes/app.js";
import { checkRoutes } from "./routes/checks.js";
import { contentRoutes } from "./routes/contents.js";
import { issueRoutes } from "./routes/issues.js";
import { pullRoutes } from "./routes/pulls.js";
import { repoRoutes } from "./routes/repos.js";
import { OAuthWeb, WEB_SESSION_COOKIE, type OAuthApp } from "./oauth.js";
import { listen, type LoggedRequest } from "./server.js";
import { loadSpec, type JsonObject } from "./spec.js";
import { DoubleState, isoNow, type CommentRecord, type IssueRecord, type ReactionRecord, type RepoRecord, type ReviewCommentRecord, type UserType } from "./state.js";
import { OpenApiValidator, type Violation } from "./validator.js";
import { commentPayload, deliverWebhook, examplePayload, type Delivery } from "./webhooks.js";

const ROUTES: Record<string, Handler> = { ...issueRoutes, ...repoRoutes, ...pullRoutes, ...checkRoutes, ...appRoutes, ...contentRoutes };

// Octokit logs every failed request; tests that expect failures stay readable.
const QUIET = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

// One validator per process: compiled schemas are reused by every double.
let sharedValidator: OpenApiValidator | undefined;

export interface DoubleOptions {
  /** Deliver the webhooks GitHub would send (comment created, PR closed, review submitted) here. */
  webhooks?: { url: string; secret: string };
}

/** Added before a request is handled: ms, or per operation ms or a promise to wait for. */
export type Latency = number | ((operationId: string) => number | Promise<unknown> | undefined);

export class GitHubDouble {
  readonly state = new DoubleState();
  readonly requests: LoggedRequest[] = [];
  readonly violations: Violation[] = [];
  /** Webhooks GitHub would have sent, in order. */
  readonly produced: ProducedEvent[] = [];
  readonly deliveries: Delivery[] = [];
  readonly validator = (sharedValidator ??= new OpenApiValidator());
  /** github.com's OAuth web flow (authorize, access_token) on the same origin. */
  readonly oauth = new OAuthWeb(this.state);
  private readonly faults = new Faults();
  private latency: Latency | undefined;
  private pending: Promise<unknown>[] = [];
  private server?: Server;
  private origin = "";

  private constructor(private readonly options: DoubleOptions) {}

  static async start(options: DoubleOptions = {}): Promise<GitHubDouble> {
    loadSpec();
    const d = new GitHubDouble(options);
    const { server, origin } = await listen({
      state: d.state,
      validator: d.validator,
      faults: d.faults,
      routes: ROUTES,
      shapes: () => d.shapes,
      log: d.requests,
      violations: d.violations,
      emit: (e) => d.emit(e),
      delay: (op) => d.delayOf(op),
      authenticate: (h) => d.authenticate(h),
      oauth: d.oauth,
    });
    d.server = server;
    d.origin = origin;
    return d;
  }

  /** Base URL for Octokit's `baseUrl`. */
  get url(): string {
    return this.origin;
  }

  get shapes(): Shapes {
    return new Shapes(this.state, this.origin);
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.pending);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A token that authenticates as `login` (created on first use). */
  token(login: string, type?: UserType): string {
    this.state.user(login, type);
    const token = `gho_${login.replace(/[^A-Za-z0-9]/g, "")}_${this.state.id()}`;
    this.state.tokens.set(token, login);
    return token;
  }

  /** Registers an OAuth app (or a GitHub App's client id/secret) whose one callback URL is `callbackUrl`. */
  addOAuthApp(app: OAuthApp): void {
    this.oauth.register(app);
  }

  /** A cookie that signs `login` in to the double's "github.com" in a browser (e.g. Playwright's context.addCookies). */
  webSessionCookie(login: string): { name: string; value: string; url: string } {
    return { name: WEB_SESSION_COOKIE, value: this.oauth.session(login), url: this.origin };
  }

  /** A real Octokit pointed at the double, authenticated as `login`. */
  octokit(login: string): Octokit {
    return new Octokit({ auth: this.token(login), baseUrl: this.url, log: QUIET });
  }

  addUser(login: string, type?: UserType): void {
    this.state.user(login, type);
  }

  /** Registers a repository whose git data lives in `bareDir` (a bare repo the test created). */
  addRepo(fullName: string, bareDir: string, opts: { defaultBranch?: string; private?: boolean } = {}): RepoRecord {
    const [owner = "", name = ""] = fullName.split("/");
    this.state.user(owner);
    const r: RepoRecord = {
      id: this.state.id(),
      owner,
      name,
      bareDir,
      defaultBranch: opts.defaultBranch ?? "main",
      private: opts.private ?? false,
      createdAt: isoNow(),
      permissions: new Map(),
      labels: new Map(),
      issues: new Map(),
      nextNumber: 1,
      comments: new Map(),
      reactions: [],
      reviews: [],
      reviewComments: new Map(),
      checkRuns: new Map(),
    };
    this.state.repos.set(fullName.toLowerCase(), r);
    return r;
  }

  repo(fullName: string): RepoRecord {
    const [owner = "", name = ""] = fullName.split("/");
    const r = this.state.repo(owner, name);
    if (!r) throw new Error(`github double: no repository ${fullName}; call addRepo first`);
    return r;
  }

  setPermission(fullName: string, login: string, permission: Permission): void {
    this.state.user(login);
    this.repo(fullName).permissions.set(login.toLowerCase(), permission);
  }

  /** Seeds an issue without going through HTTP (nothing is logged or delivered). */
  addIssue(fullName: string, issue: { title: string; body?: string; user: string; labels?: string[] }): IssueRecord {
    const r = this.repo(fullName);
    this.state.user(issue.user);
    const now = isoNow();
    const record: IssueRecord = {
      number: r.nextNumber++,
      id: this.state.id(),
      title: issue.title,
      body: issue.body ?? null,
      user: issue.user,
      state: "open",
      stateReason: null,
      labels: issue.labels ?? [],
      assignees: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    r.issues.set(record.number, record);
    return record;
  }

  /** Seeds a comment as `user`; returns it with the issue_comment.created payload GitHub would send. */
  addComment(fullName: string, issueNumber: number, user: string, body: string): { comment: CommentRecord; payload: JsonObject } {
    const r = this.repo(fullName);
    const issue = r.issues.get(issueNumber);
    if (!issue) throw new Error(`github double: no issue #${issueNumber} in ${fullName}`);
    this.state.user(user);
    const now = isoNow();
    const comment: CommentRecord = { id: this.state.id(), issueNumber, body, user, createdAt: now, updatedAt: now };
    r.comments.set(comment.id, comment);
    const payload = commentPayload(this.shapes, r, issue, comment, "created", user);
    this.checkWebhook("issue_comment", payload);
    return { comment, payload };
  }

  /**
   * Seeds an edit of comment `commentId` by `editor`; returns it with the
   * issue_comment.edited payload GitHub would send (`changes.body.from` is
   * the text before). As on GitHub, only the comment's author or someone with
   * write access (or more) may edit it: anyone else is refused here.
   */
  editComment(fullName: string, commentId: number, editor: string, body: string): { comment: CommentRecord; payload: JsonObject } {
    const r = this.repo(fullName);
    const comment = r.comments.get(commentId);
    const issue = comment && r.issues.get(comment.issueNumber);
    if (!comment || !issue) throw new Error(`github double: no comment ${commentId} in ${fullName}`);
    const rank = ["none", "read", "triage", "write", "maintain", "admin"];
    const level = editor.toLowerCase() === r.owner.toLowerCase() ? "admin" : (r.permissions.get(editor.toLowerCase()) ?? "read");
    if (editor.toLowerCase() !== comment.user.toLowerCase() && rank.indexOf(level) < rank.indexOf("write")) {
      throw new Error(`github double: @${editor} (${level}) cannot edit @${comment.user}'s comment: GitHub lets only its author or someone with write access edit it`);
    }
    this.state.user(editor);
    const from = comment.body;
    comment.body = body;
    comment.updatedAt = isoNow();
    const payload = commentPayload(this.shapes, r, issue, comment, "edited", editor, from);
    this.checkWebhook("issue_comment", payload);
    return { comment, payload };
  }

  /**
   * Seeds a review comment on a line of PR `pullNumber` as `user`; the test
   * builds the pull_request_review_comment payload around its id.
   */
  addReviewComment(fullName: string, pullNumber: number, user: string, body: string, at: { path: string; line: number }): ReviewCommentRecord {
    const r = this.repo(fullName);
    if (!r.issues.get(pullNumber)?.pull) throw new Error(`github double: no pull request #${pullNumber} in ${fullName}`);
    this.state.user(user);
    const comment: ReviewCommentRecord = { id: this.state.id(), pullNumber, body, user, path: at.path, line: at.line, createdAt: isoNow() };
    r.reviewComments.set(comment.id, comment);
    return comment;
  }

  /** Reactions on one issue, comment or review comment, oldest first. */
  reactions(fullName: string, target: ReactionRecord["target"]): ReactionRecord[] {
    return this.repo(fullName).reactions.filter((x) => sameTarget(x.target, target));
  }

  /** Removes a comment as if someone deleted it in the UI (e.g. mid-run). */
  deleteComment(fullName: string, commentId: number): void {
    if (!this.repo(fullName).comments.delete(commentId)) throw new Error(`github double: no comment ${commentId}`);
  }

  /** Comments on one thread, oldest first. */
  comments(fullName: string, issueNumber: number): CommentRecord[] {
    return [...this.repo(fullName).comments.values()].filter((c) => c.issueNumber === issueNumber).sort((a, b) => a.id - b.id);
  }

  pulls(fullName: string): IssueRecord[] {
    return [...this.repo(fullName).issues.values()].filter((i) => i.pull !== undefined);
  }

  /**
   * Registers an app installed on `owner`'s repositories; its JWTs must verify
   * against `publicKey` (PEM) and its tokens act as `<appSlug>[bot]`.
   */
  addInstallation(inst: { id: number; appId: number; publicKey: string; appSlug: string; owner: string }): void {
    this.state.installations.set(inst.id, { ...inst, tokens: [] });
  }

  /**
   * Takes `fullName` out of installation `id` (its selection becomes the
   * owner's other repositories); returns the installation_repositories.removed
   * payload GitHub sends.
   */
  removeFromInstallation(id: number, fullName: string): JsonObject {
    const inst = this.state.installations.get(id);
    if (!inst) throw new Error(`github double: no installation ${id}`);
    const r = this.repo(fullName);
    const owned = [...this.state.repos.entries()].filter(([, x]) => x.owner.toLowerCase() === inst.owner.toLowerCase()).map(([k]) => k);
    inst.selected = new Set((inst.selected ? [...inst.selected] : owned).filter((k) => k !== fullName.toLowerCase()));
    return examplePayload("installation_repositories", "removed", {
      action: "removed",
      // The example's times are epoch numbers where GitHub's description says strings.
      installation: { id, account: this.shapes.user(inst.owner), app_id: inst.appId, app_slug: inst.appSlug, created_at: "2024-01-01T00:00:00Z", updated_at: "2024-01-01T00:00:00Z" },
      repository_selection: "selected",
      repositories_added: [],
      repositories_removed: [{ id: r.id, node_id: `R_${r.id}`, name: r.name, full_name: `${r.owner}/${r.name}`, private: r.private }],
      sender: this.shapes.user(inst.owner),
    }, ["installation"]);
  }

  installationTokens(id: number): { token: string; permissions: Record<string, string> }[] {
    return this.state.installations.get(id)?.tokens ?? [];
  }

  /** The next `times` calls to the operation (e.g. "issues/create-comment") fail as described. */
  failNext(operationId: string, fault: FaultSpec, times = 1): void {
    if (!loadSpec().operationById(operationId)) throw new Error(`github double: unknown operation ${operationId}`);
    this.faults.add(operationId, fault, times);
  }

  /**
   * Every request waits before it is handled: a number of ms (GitHub's own
   * latency, e.g. 150 in the first-sign bench), or per operation a number or
   * a promise (a request held until something happened). Undefined: none.
   */
  setLatency(latency: Latency | undefined): void {
    this.latency = latency;
  }

  private delayOf(operationId: string): Promise<unknown> | undefined {
    const l = this.latency;
    const wait = typeof l === "function" ? l(operationId) : l;
    if (wait === undefined || wait === 0) return undefined;
    return typeof wait === "number" ? new Promise((resolve) => setTimeout(resolve, wait)) : wait;
  }

  /** The next successful reply of the operation is changed before it is validated and sent. */
  corruptNext(operationId: string, change: Corruption): void {
    this.faults.corruptNext(operationId, change);
  }

  /** Forgets armed failures (e.g. in afterEach). */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Returns and forgets the violations seen so far (for tests that expect some). */
  takeViolations(): Violation[] {
    return this.violations.splice(0, this.violations.length);
  }

  /** Requests that reached an operation (injected failures included), oldest first. */
  calls(operationId: string): LoggedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }

  /** Throws with every request/response that did not match GitHub's description. */
  assertNoViolations(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map((v) => `- ${v.kind} ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ""}: ${v.message}`);
    throw new Error(`github double saw ${this.violations.length} OpenAPI violation(s):\n${lines.join("\n")}`);
  }

  /** Delivers one webhook to `url`, signed like GitHub signs it. */
  async deliver(url: string, event: string, payload: JsonObject, secret: string, deliveryId?: string): Promise<Delivery> {
    const d = await deliverWebhook(url, event, payload, secret, deliveryId);
    this.deliveries.push(d);
    return d;
  }

  /** Waits for webhook deliveries the double started on its own. */
  async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.allSettled(pending);
  }

  /** Problems of a webhook payload against the description's x-webhooks schema (empty when fine). */
  webhookProblems(event: string, payload: JsonObject): string[] {
    return this.validator.validateWebhook(event, payload);
  }

  /** Payloads are checked against the description's x-webhooks schemas too. */
  private checkWebhook(event: string, payload: JsonObject): void {
    const problems = this.validator.validateWebhook(event, payload);
    if (problems.length === 0) return;
    const path = `webhook ${event}.${String(payload.action)}`;
    this.violations.push({ kind: "webhook", method: "POST", path, message: problems.join("; ") });
  }

  private emit(event: ProducedEvent): void {
    this.produced.push(event);
    this.checkWebhook(event.event, event.payload);
    const target = this.options.webhooks;
    if (target) this.pending.push(this.deliver(target.url, event.event, event.payload, target.secret));
  }

  private authenticate(header: string | undefined): { actor?: string; permissions?: Record<string, string>; repositories?: Set<string>; error?: HttpError } {
    if (!header) return {};
    const token = header.replace(/^(token|bearer)\s+/i, "");
    const actor = this.state.tokens.get(token);
    if (actor) return { actor, permissions: this.state.tokenPermissions.get(token), repositories: this.state.tokenRepositories.get(token) };
    // App JWTs are checked by the app routes themselves; elsewhere they act as no user.
    if (/^Bearer\s+eyJ[^.]*\.[^.]+\.[^.]+$/i.test(header)) return {};
    return { error: new HttpError(401, "Bad credentials") };
  }
}
