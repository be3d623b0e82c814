/**
 * A minimal but realistic `issue_comment.created` payload, for
 * `gitcrew dry-run --comment "…" [--issue N] [--pr N] [--author LOGIN]`.
 * Shaped like GitHub's own payloads so that it goes through normalize()
 * exactly as a real webhook would.
 */
import { UsageError } from "../util/errors.js";

export interface SynthesizeCommentOptions {
  body: string;
  /** Issue number (default 1). */
  issue?: number;
  /** Pull request number: the comment is on a PR's conversation. */
  pr?: number;
  /** Commenter login (default: the repository owner). A login ending in `[bot]` is a Bot. */
  author?: string;
  /** GitHub author_association (default OWNER for the repository owner, else NONE). */
  association?: string;
  /** `owner/name` (default `octo-org/octo-repo`). */
  repo?: string;
  defaultBranch?: string;
  title?: string;
  /** Timestamp written into the payload (default: a fixed date, so output is reproducible). */
  now?: Date;
}

export interface SynthesizedEvent {
  event: "issue_comment";
  payload: Record<string, unknown>;
}

const LOGIN = /^[A-Za-z0-9](?:-?[A-Za-z0-9])*(?:\[bot\])?$/;
const ASSOCIATIONS = ["OWNER", "MEMBER", "COLLABORATOR", "CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER", "MANNEQUIN", "NONE"];

function positive(flag: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got ${String(value)}`);
  return value;
}

function user(login: string, id: number): Record<string, unknown> {
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    type: login.endsWith("[bot]") ? "Bot" : "User",
    site_admin: false,
  };
}

export function synthesizeComment(opts: SynthesizeCommentOptions): SynthesizedEvent {
  if (typeof opts.body !== "string") throw new UsageError("--comment needs the comment text");
  const issue = positive("--issue", opts.issue);
  const pr = positive("--pr", opts.pr);
  if (issue !== undefined && pr !== undefined && issue !== pr) {
    throw new UsageError(`--issue ${issue} and --pr ${pr} name different threads`, "give one of them");
  }
  const fullName = opts.repo ?? "octo-org/octo-repo";
  const [owner, name, ...rest] = fullName.split("/");
  if (!owner || !name || rest.length > 0 || !LOGIN.test(owner) || !/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new UsageError(`repository must be "owner/name", got "${fullName}"`);
  }
  const author = opts.author ?? owner;
  if (!LOGIN.test(author)) throw new UsageError(`--author must be a GitHub login, got "${author}"`);
  const association = (opts.association ?? (author.toLowerCase() === owner.toLowerCase() ? "OWNER" : "NONE")).toUpperCase();
  if (!ASSOCIATIONS.includes(association)) {
    throw new UsageError(`author association must be one of ${ASSOCIATIONS.join(", ")}, got "${association}"`);
  }
  const number = pr ?? issue ?? 1;
  const at = (opts.now ?? new Date("2024-01-01T00:00:00Z")).toISOString().replace(/\.\d{3}Z$/, "Z");
  const api = `https://api.github.com/repos/${owner}/${name}`;
  const web = `https://github.com/${owner}/${name}`;
  const threadWeb = `${web}/${pr !== undefined ? "pull" : "issues"}/${number}`;
  const commentId = 1_000_000 + number;
  const ownerUser = user(owner, 1);
  const payload: Record<string, unknown> = {
    action: "created",
    issue: {
      url: `${api}/issues/${number}`,
      repository_url: api,
      html_url: threadWeb,
      id: 100_000 + number,
      node_id: `I_${number}`,
      number,
      title: opts.title ?? (pr !== undefined ? `Pull request #${number}` : `Issue #${number}`),
      user: ownerUser,
      labels: [],
      state: "open",
      locked: false,
      assignee: null,
      assignees: [],
      comments: 1,
      created_at: at,
      updated_at: at,
      closed_at: null,
      author_association: "OWNER",
      body: null,
      ...(pr !== undefined
        ? { pull_request: { url: `${api}/pulls/${number}`, html_url: `${web}/pull/${number}`, diff_url: `${web}/pull/${number}.diff`, patch_url: `${web}/pull/${number}.patch`, merged_at: null } }
        : {}),
    },
    comment: {
      url: `${api}/issues/comments/${commentId}`,
      html_url: `${threadWeb}#issuecomment-${commentId}`,
      issue_url: `${api}/issues/${number}`,
      id: commentId,
      node_id: `IC_${commentId}`,
      user: user(author, author === owner ? 1 : 2),
      created_at: at,
      updated_at: at,
      author_association: association,
      body: opts.body,
    },
    repository: {
      id: 10,
      node_id: "R_10",
      name,
      full_name: `${owner}/${name}`,
      private: false,
      owner: ownerUser,
      html_url: web,
      url: api,
      default_branch: opts.defaultBranch ?? "main",
    },
    sender: user(author, author === owner ? 1 : 2),
  };
  return { event: "issue_comment", payload };
}
