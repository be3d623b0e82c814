/** Pieces every event normaliser shares: repository, actor, threads and text. */
import type { Actor, ActorType, Normalized, RepoRef, Thread, Trigger } from "./trigger.js";
import { InputError } from "../util/errors.js";
import { notEvent, WRONG_EVENT_HINT, type PayloadReader } from "./read.js";
import { capText, parseCommands, parseMentions, parseOrigin, stripHidden } from "./text.js";

export interface NormalizeOptions {
  deliveryId?: string;
  /**
   * Route edited comments (marked untrusted). Off by default: an edited body is
   * not trusted. Set it when some agent has `triggers.edits`; routing then
   * gives the edit to those agents only.
   */
  edits?: boolean;
  /**
   * An action the event never has is an input error (dry-run: most likely a
   * payload of another event than --event). Off for webhooks: GitHub adds
   * actions over time, and a delivery with a new one is ignored, not failed.
   */
  strictActions?: boolean;
}

/** Why an edited comment is ignored when no agent asked for edits. */
export const EDITS_OFF = "edited comments are ignored unless an agent sets triggers.edits (an edited body is not trusted)";

/** One normaliser per event family; `r` reads the payload, `action` is already checked to be a string or absent. */
export type Normalizer = (r: PayloadReader, opts: NormalizeOptions) => Normalized;

/**
 * The payload's `action`. With `strictActions` it must be one its event has:
 * a payload of another event (an issue_comment given as `issues`) fails
 * here, naming both; otherwise the caller ignores an action it does not handle.
 */
export function readAction(r: PayloadReader, known: readonly string[], opts: NormalizeOptions): string {
  const action = r.str("action");
  if (opts.strictActions && !known.includes(action)) {
    throw new InputError(`${notEvent(r.event)}: "${r.event}" has no action "${action}" (its actions: ${known.join(", ")})`, WRONG_EVENT_HINT);
  }
  return action;
}

/**
 * Mark a trigger from an edited comment (`authored`: the comment's payload
 * path). Routing gives it only to agents with `triggers.edits`. The editor
 * (the sender) is the actor; the comment's author, when someone else, is
 * `author`, and both must be allowed: an edit never lends the editor's
 * authority to another person's words. Only mentions and commands the edit
 * added address anyone: what the text already said was answered when written.
 */
export function markEdited(trigger: Trigger, r: PayloadReader, authored: string): void {
  trigger.edited = true;
  const login = r.optStr(`${authored}.user.login`) ?? "ghost";
  if (login.toLowerCase() !== trigger.actor.login.toLowerCase()) {
    const association = r.optStr(`${authored}.author_association`);
    trigger.author = { login, type: actorType(r.optStr(`${authored}.user.type`), login), ...(association ? { association } : {}) };
  }
  // No `changes.body`: the text did not change, so nothing in it is new.
  const from = r.optStr("changes.body.from");
  const before = from === undefined ? undefined : capText(from).text;
  const mentioned = new Set(before === undefined ? trigger.mentions : parseMentions(before));
  const commanded = new Set((before === undefined ? trigger.commands : parseCommands(before)).map((c) => `${c.name} ${c.args}`));
  trigger.mentions = trigger.mentions.filter((m) => !mentioned.has(m));
  trigger.commands = trigger.commands.filter((c) => !commanded.has(`${c.name} ${c.args}`));
}

export function ignored(reason: string): Normalized {
  return { ok: false, ignored: reason };
}

export function ok(trigger: Trigger): Normalized {
  return { ok: true, trigger };
}

export function readRepo(r: PayloadReader): RepoRef {
  const fullName = r.str("repository.full_name");
  const owner = r.optStr("repository.owner.login") ?? fullName.split("/")[0] ?? "";
  const name = r.optStr("repository.name") ?? fullName.split("/")[1] ?? "";
  return {
    owner,
    name,
    fullName,
    // Older payloads (and push) may only carry master_branch.
    defaultBranch: r.optStr("repository.default_branch") ?? r.optStr("repository.master_branch") ?? "main",
    private: r.bool("repository.private", false),
  };
}

function actorType(type: string | undefined, login: string): ActorType {
  if (type === "Bot" || login.endsWith("[bot]")) return "Bot";
  if (type === "Organization") return "Organization";
  return "User";
}

/**
 * The sender. `authored` is the object the sender wrote (comment, review, or
 * the issue/PR on `opened`): its author_association is the sender's only when
 * the sender is its author — a labeler is not the issue author.
 */
export function readActor(r: PayloadReader, authored?: string): Actor {
  const login = r.str("sender.login");
  const actor: Actor = { login, type: actorType(r.optStr("sender.type"), login) };
  if (authored) {
    const author = r.optStr(`${authored}.user.login`);
    const association = r.optStr(`${authored}.author_association`);
    if (association && author?.toLowerCase() === login.toLowerCase()) actor.association = association;
  }
  return actor;
}

export function readLabels(r: PayloadReader, path: string): string[] {
  return r.arr(path).map((_, i) => r.str(`${path}.${i}.name`));
}

/** Text fields are capped at GitHub's limit; `cut` collects the paths that were. */
export function readBody(r: PayloadReader, path: string, cut: string[]): string {
  const capped = capText(r.body(path));
  if (capped.cut) cut.push(path);
  return capped.text;
}

/** An issue (or the issue view of a PR, as in issue_comment) as a Thread. */
export function readIssueThread(r: PayloadReader, path: string, cut: string[]): Thread {
  return {
    kind: r.has(`${path}.pull_request`) ? "pull_request" : "issue",
    number: r.num(`${path}.number`),
    title: r.str(`${path}.title`),
    body: stripHidden(readBody(r, `${path}.body`, cut)),
    url: r.optStr(`${path}.html_url`) ?? "",
    author: r.optStr(`${path}.user.login`) ?? "ghost",
    labels: readLabels(r, `${path}.labels`),
    state: r.optStr(`${path}.state`) ?? "open",
  };
}

/** A full pull request object (pull_request.*, review events) as a Thread with fork detection. */
export function readPullThread(r: PayloadReader, path: string, cut: string[]): Thread {
  const base = r.str(`${path}.base.repo.full_name`);
  // head.repo is null when the fork was deleted: treat it as a fork.
  const headRepo = r.has(`${path}.head.repo`) ? r.str(`${path}.head.repo.full_name`) : "";
  const merged = r.bool(`${path}.merged`, false);
  const mergeSha = merged ? r.optStr(`${path}.merge_commit_sha`) : undefined;
  return {
    kind: "pull_request",
    number: r.num(`${path}.number`),
    title: r.str(`${path}.title`),
    body: stripHidden(readBody(r, `${path}.body`, cut)),
    url: r.optStr(`${path}.html_url`) ?? "",
    author: r.optStr(`${path}.user.login`) ?? "ghost",
    labels: readLabels(r, `${path}.labels`),
    state: r.optStr(`${path}.state`) ?? "open",
    pr: {
      headRef: r.str(`${path}.head.ref`),
      headSha: r.str(`${path}.head.sha`),
      baseRef: r.str(`${path}.base.ref`),
      fork: headRepo === "" || headRepo.toLowerCase() !== base.toLowerCase(),
      merged,
      headRepo,
      ...(mergeSha ? { mergeSha } : {}),
    },
  };
}

/** Why code from this PR must not run with secrets, phrased for `what` ("pull request", "comment on a pull request"). */
export function forkReasons(thread: Thread, what: string): string[] {
  const pr = thread.pr;
  if (!pr?.fork) return [];
  return [pr.headRepo ? `${what} from a fork (${pr.headRepo})` : `${what} whose head repository was deleted`];
}

/** text, mentions, commands and origin from one body. Origin is read before hidden content is stripped. */
export function textFields(raw: string): Pick<Trigger, "text" | "mentions" | "commands" | "origin"> {
  const origin = parseOrigin(raw);
  return {
    text: stripHidden(raw),
    mentions: parseMentions(raw),
    commands: parseCommands(raw),
    ...(origin ? { origin } : {}),
  };
}

/** The fields every trigger has; normalisers spread this and add their own. */
export function baseTrigger(
  r: PayloadReader,
  opts: NormalizeOptions,
  actor: Actor,
  cut: string[],
): Omit<Trigger, "text" | "mentions" | "commands"> {
  const action = r.optStr("action");
  return {
    event: r.event,
    ...(action !== undefined ? { action } : {}),
    kind: action !== undefined ? `${r.event}.${action}` : r.event,
    ...(opts.deliveryId !== undefined ? { deliveryId: opts.deliveryId } : {}),
    repo: readRepo(r),
    actor,
    untrusted: [],
    truncated: cut,
  };
}
