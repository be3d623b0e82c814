/**
 * REST shapes built from state. Every field GitHub's schema requires is
 * present, because the validator checks each response against it.
 */
import type { Json, JsonObject } from "./spec.js";
import type {
  CheckRunRecord,
  CommentRecord,
  DoubleState,
  IssueRecord,
  LabelRecord,
  ReactionRecord,
  RepoRecord,
  ReviewRecord,
} from "./state.js";

export class Shapes {
  constructor(
    private readonly state: DoubleState,
    /** API origin, e.g. http://127.0.0.1:PORT; html links use it too. */
    readonly origin: string,
  ) {}

  user(login: string): JsonObject {
    const u = this.state.user(login);
    // Bot logins carry brackets: GitHub percent-encodes them in URLs.
    const path = encodeURIComponent(u.login);
    const url = `${this.origin}/users/${path}`;
    return {
      login: u.login,
      id: u.id,
      node_id: `U_${u.id}`,
      avatar_url: `${this.origin}/avatars/${u.id}`,
      gravatar_id: "",
      url,
      html_url: `${this.origin}/${path}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: u.type,
      site_admin: false,
    };
  }

  repoUrl(r: RepoRecord): string {
    return `${this.origin}/repos/${r.owner}/${r.name}`;
  }

  repo(r: RepoRecord): JsonObject {
    const url = this.repoUrl(r);
    const html = `${this.origin}/${r.owner}/${r.name}`;
    const open = [...r.issues.values()].filter((i) => i.state === "open").length;
    const templated: Record<string, string> = {};
    for (const [key, suffix] of Object.entries(REPO_URLS)) templated[key] = url + suffix;
    return {
      id: r.id,
      node_id: `R_${r.id}`,
      name: r.name,
      full_name: `${r.owner}/${r.name}`,
      owner: this.user(r.owner),
      private: r.private,
      html_url: html,
      description: null,
      fork: false,
      url,
      ...templated,
      git_url: `git://127.0.0.1/${r.owner}/${r.name}.git`,
      ssh_url: `git@127.0.0.1:${r.owner}/${r.name}.git`,
      clone_url: `${html}.git`,
      svn_url: html,
      mirror_url: null,
      homepage: null,
      language: null,
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers: 0,
      watchers_count: 0,
      network_count: 0,
      subscribers_count: 0,
      size: 0,
      default_branch: r.defaultBranch,
      open_issues: open,
      open_issues_count: open,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: r.private ? "private" : "public",
      pushed_at: r.createdAt,
      created_at: r.createdAt,
      updated_at: r.createdAt,
      license: null,
    };
  }

  label(r: RepoRecord, l: LabelRecord): JsonObject {
    return {
      id: l.id,
      node_id: `LA_${l.id}`,
      url: `${this.repoUrl(r)}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      description: l.description,
      color: l.color,
      default: false,
    };
  }

  issue(r: RepoRecord, i: IssueRecord): JsonObject {
    const url = `${this.repoUrl(r)}/issues/${i.number}`;
    const kind = i.pull ? "pull" : "issues";
    const comments = [...r.comments.values()].filter((c) => c.issueNumber === i.number).length;
    const out: JsonObject = {
      id: i.id,
      node_id: `I_${i.id}`,
      url,
      repository_url: this.repoUrl(r),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${this.origin}/${r.owner}/${r.name}/${kind}/${i.number}`,
      number: i.number,
      state: i.state,
      state_reason: i.stateReason,
      title: i.title,
      body: i.body,
      user: this.user(i.user),
      labels: i.labels.map((n) => this.labelByName(r, n)),
      assignee: i.assignees[0] ? this.user(i.assignees[0]) : null,
      assignees: i.assignees.map((a) => this.user(a)),
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments,
      closed_at: i.closedAt,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      author_association: this.association(r, i.user),
      reactions: this.rollup(r, url, { kind: "issue", number: i.number }),
    };
    if (i.pull) {
      out.pull_request = {
        url: `${this.repoUrl(r)}/pulls/${i.number}`,
        html_url: `${this.origin}/${r.owner}/${r.name}/pull/${i.number}`,
        diff_url: `${this.origin}/${r.owner}/${r.name}/pull/${i.number}.diff`,
        patch_url: `${this.origin}/${r.owner}/${r.name}/pull/${i.number}.patch`,
        merged_at: i.pull.mergedAt,
      };
    }
    return out;
  }

  labelByName(r: RepoRecord, name: string): JsonObject {
    const l = r.labels.get(name.toLowerCase()) ?? { id: 0, name, color: "ededed", description: null };
    return this.label(r, l);
  }

  association(r: RepoRecord, login: string): string {
    if (login.toLowerCase() === r.owner.toLowerCase()) return "OWNER";
    const p = r.permissions.get(login.toLowerCase());
    return p && p !== "none" && p !== "read" ? "COLLABORATOR" : "NONE";
  }

  rollup(r: RepoRecord, url: string, target: ReactionRecord["target"]): JsonObject {
    const counts: Record<string, number> = {};
    for (const c of REACTIONS) counts[c] = 0;
    const mine = r.reactions.filter((x) => sameTarget(x.target, target));
    for (const x of mine) counts[x.content] = (counts[x.content] ?? 0) + 1;
    return { url: `${url}/reactions`, total_count: mine.length, ...counts };
  }

  comment(r: RepoRecord, c: CommentRecord): JsonObject {
    const url = `${this.repoUrl(r)}/issues/comments/${c.id}`;
    const issue = r.issues.get(c.issueNumber);
    const kind = issue?.pull ? "pull" : "issues";
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url,
      html_url: `${this.origin}/${r.owner}/${r.name}/${kind}/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${this.repoUrl(r)}/issues/${c.issueNumber}`,
      body: c.body,
      user: this.user(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: this.association(r, c.user),
      performed_via_github_app: null,
      reactions: this.rollup(r, url, { kind: "comment", id: c.id }),
    };
  }

  reaction(x: ReactionRecord): JsonObject {
    return { id: x.id, node_id: `REA_${x.id}`, user: this.user(x.user), content: x.content, created_at: x.createdAt };
  }

  review(r: RepoRecord, v: ReviewRecord): JsonObject {
    const html = `${this.origin}/${r.owner}/${r.name}/pull/${v.pullNumber}`;
    return {
      id: v.id,
      node_id: `PRR_${v.id}`,
      user: this.user(v.user),
      body: v.body,
      state: v.state,
      html_url: `${html}#pullrequestreview-${v.id}`,
      pull_request_url: `${this.repoUrl(r)}/pulls/${v.pullNumber}`,
      _links: { html: { href: html }, pull_request: { href: `${this.repoUrl(r)}/pulls/${v.pullNumber}` } },
      submitted_at: v.submittedAt,
      commit_id: v.commitId,
      author_association: this.association(r, v.user),
    };
  }

  checkRun(r: RepoRecord, c: CheckRunRecord): JsonObject {
    const url = `${this.repoUrl(r)}/check-runs/${c.id}`;
    return {
      id: c.id,
      node_id: `CR_${c.id}`,
      head_sha: c.headSha,
      external_id: c.externalId,
      url,
      html_url: `${this.origin}/${r.owner}/${r.name}/runs/${c.id}`,
      details_url: c.detailsUrl,
      status: c.status,
      conclusion: c.conclusion,
      started_at: c.startedAt,
      completed_at: c.completedAt,
      output: { ...c.output, annotations_count: 0, annotations_url: `${url}/annotations` },
      name: c.name,
      check_suite: { id: c.id },
      app: null,
      pull_requests: [],
    };
  }
}

export const REACTIONS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"];

export function sameTarget(a: ReactionRecord["target"], b: ReactionRecord["target"]): boolean {
  if (a.kind === "comment" && b.kind === "comment") return a.id === b.id;
  if (a.kind === "issue" && b.kind === "issue") return a.number === b.number;
  if (a.kind === "review_comment" && b.kind === "review_comment") return a.id === b.id;
  return false;
}

const REPO_URLS: Record<string, string> = {
  archive_url: "/{archive_format}{/ref}",
  assignees_url: "/assignees{/user}",
  blobs_url: "/git/blobs{/sha}",
  branches_url: "/branches{/branch}",
  collaborators_url: "/collaborators{/collaborator}",
  comments_url: "/comments{/number}",
  commits_url: "/commits{/sha}",
  compare_url: "/compare/{base}...{head}",
  contents_url: "/contents/{+path}",
  contributors_url: "/contributors",
  deployments_url: "/deployments",
  downloads_url: "/downloads",
  events_url: "/events",
  forks_url: "/forks",
  git_commits_url: "/git/commits{/sha}",
  git_refs_url: "/git/refs{/sha}",
  git_tags_url: "/git/tags{/sha}",
  hooks_url: "/hooks",
  issue_comment_url: "/issues/comments{/number}",
  issue_events_url: "/issues/events{/number}",
  issues_url: "/issues{/number}",
  keys_url: "/keys{/key_id}",
  labels_url: "/labels{/name}",
  languages_url: "/languages",
  merges_url: "/merges",
  milestones_url: "/milestones{/number}",
  notifications_url: "/notifications{?since,all,participating}",
  pulls_url: "/pulls{/number}",
  releases_url: "/releases{/id}",
  stargazers_url: "/stargazers",
  statuses_url: "/statuses/{sha}",
  subscribers_url: "/subscribers",
  subscription_url: "/subscription",
  tags_url: "/tags",
  teams_url: "/teams",
  trees_url: "/git/trees{/sha}",
};

export type { Json };
