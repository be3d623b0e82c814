/**
 * Everything the dashboard shows comes from the server, and much of it from
 * strangers or agents (answers, prompts, comment URLs, agent names): it is
 * rendered as text, and links only where safeLink allows. Rendered to HTML
 * with the page's own views, as a browser would receive it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import type { RunDetail, RunRow } from "../../src/dashboard/types.js";
import { RunView } from "../../src/dashboard/views/run.js";
import { RunsTable } from "../../src/dashboard/views/runs.js";
import { QueueTable } from "../../src/dashboard/views/queue.js";
import { CrewView } from "../../src/dashboard/views/crew.js";
import { HealthView } from "../../src/dashboard/views/health.js";
import { ApprovalsTable } from "../../src/dashboard/views/approvals.js";

const XSS = `<script>alert(1)</script><img src=x onerror=alert(2)>"'><svg onload=alert(3)>`;
const EVIL_URL = "javascript:alert(document.cookie)";
const now = Date.UTC(2026, 0, 2, 3, 4, 5);

const run: RunRow = {
  id: `d1:${XSS}`,
  repo: `o/${XSS}`,
  agent: XSS,
  threadKey: `o/r#1${XSS}`,
  status: "succeeded",
  createdAt: now - 60_000,
  startedAt: now - 50_000,
  finishedAt: now - 10_000,
  error: XSS,
  trigger: { actor: XSS, event: "issue_comment", url: EVIL_URL },
  branch: XSS,
  pullRequest: { number: 7, url: "data:text/html,<script>alert(1)</script>" },
};

const detail: RunDetail = {
  run,
  plan: { prompt: XSS, [XSS]: XSS },
  prompt: XSS,
  container: { image: XSS },
  answer: XSS,
  changedFiles: [XSS, { path: XSS, status: XSS }],
  approvals: [{ id: XSS, repo: XSS, agent: XSS, runId: XSS, pr: { number: 3, url: EVIL_URL, state: XSS }, approvers: [XSS], decision: "approved", decidedBy: XSS }],
  canAct: true,
};

const TAGS = new Set(["a", "article", "button", "code", "dd", "div", "dl", "dt", "h1", "h2", "header", "li", "p", "pre", "section", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul"]);
const ATTRIBUTES = new Set(["class", "href", "target", "rel", "title", "type", "disabled", "colspan", "data-testid", "data-run-id", "data-agent", "data-check", "data-approval-id"]);

/**
 * Reads the markup as a browser's tokenizer would: every "<" opens a tag
 * (text never holds a raw one), attribute values end at the next '"'. No tag
 * or attribute outside the views' own, no link but the page's hash routes
 * and https.
 */
function expectInert(html: string): void {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*(\/?)>/y;
  for (let i = html.indexOf("<"); i !== -1; i = html.indexOf("<", i + 1)) {
    tag.lastIndex = i;
    const m = tag.exec(html);
    expect(m, `raw "<" at ${i}: ${html.slice(i, i + 40)}`).not.toBeNull();
    const [, , name = "", attrs = ""] = m!;
    expect(TAGS, name).toContain(name.toLowerCase());
    for (const [, attr = "", value = ""] of attrs.matchAll(/\s+([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
      expect(ATTRIBUTES, attr).toContain(attr.toLowerCase());
      if (attr === "href") expect(value, "href").toMatch(/^(#\/runs\/[^<>"]*|https:\/\/[^<>"]*)$/);
    }
  }
  // The hostile text itself is still there, as text.
  expect(html).toContain("&lt;script>alert(1)&lt;/script>&lt;img src=x onerror=alert(2)>");
}

describe("the dashboard renders server text as text", () => {
  it("one run: answer, prompt, plan, error, log, files, approvals, trigger and PR links", () => {
    const html = renderToString(h(RunView, { detail, log: XSS, logNote: "Live.", now, onCancel() {}, onRetry() {} }));
    expectInert(html);
    // The answer is there, readable, as text in its own block.
    expect(html).toContain(`<pre class="wrap">&lt;script>alert(1)&lt;/script>&lt;img src=x onerror=alert(2)>&quot;'>&lt;svg onload=alert(3)></pre>`);
    // Hostile links give no link at all; the text stays.
    expect(html).not.toContain(EVIL_URL);
    expect(html).toContain("#7");
  });

  it("runs table: every cell, and the run link's hash is URL-encoded", () => {
    const html = renderToString(h(RunsTable, { runs: [run], now }));
    expectInert(html);
    expect(html).toContain(`href="#/runs/${encodeURIComponent(run.id).replace(/&/g, "&amp;")}"`);
  });

  it("queue, crew, health and approvals pages", () => {
    const html = [
      renderToString(h(QueueTable, { view: { queue: [{ id: XSS, agent: XSS, threadKey: XSS, repo: XSS, position: 1, createdAt: now, waiting: XSS }] }, now })),
      renderToString(h(CrewView, { repos: [{ repo: XSS, sha: XSS, problems: [XSS], agents: [{ name: XSS, runtime: XSS, model: XSS, triggers: { mention: XSS }, limits: { [XSS]: 1 }, allow: [XSS] }] }] })),
      renderToString(h(HealthView, { health: { store: { ok: false, kind: XSS, error: XSS }, instances: [{ name: XSS, lastSeen: now }] }, now })),
      renderToString(h(ApprovalsTable, { approvals: detail.approvals!, now, testId: "approvals" })),
    ].join("\n");
    expectInert(html);
  });

  it("links to GitHub stay when they are https", () => {
    const ok = { ...run, trigger: { actor: "octocat", event: "issue_comment", url: "https://github.com/o/r/issues/1#issuecomment-9" }, pullRequest: { number: 8, url: "https://github.com/o/r/pull/8" } };
    const html = renderToString(h(RunsTable, { runs: [ok], now }));
    expect(html).toContain(`href="https://github.com/o/r/issues/1#issuecomment-9"`);
    expect(html).toContain(`href="https://github.com/o/r/pull/8"`);
    expect(html).toMatch(/rel="noopener noreferrer"/);
  });

  it("Cancel or Retry is disabled with the reason for a reader, and Cancel once asked for", () => {
    const reader = renderToString(h(RunView, { detail: { ...detail, run: { ...run, status: "running", repo: "o/r" }, canAct: false }, log: "", logNote: "", now, onCancel() {}, onRetry() {} }));
    expect(reader).toMatch(/<button[^>]*disabled[^>]*title="You need write access to o\/r to cancel or retry"[^>]*>Cancel<\/button>/);
    const asked = renderToString(h(RunView, { detail: { ...detail, run: { ...run, status: "running", cancelRequested: true } }, log: "", logNote: "", now, onCancel() {}, onRetry() {} }));
    expect(asked).toMatch(/<button[^>]*disabled[^>]*title="Cancel requested: the run stops soon"[^>]*>Cancel<\/button>/);
    const writer = renderToString(h(RunView, { detail: { ...detail, run: { ...run, status: "failed" } }, log: "", logNote: "", now, onCancel() {}, onRetry() {} }));
    expect(writer).toMatch(/<button type="button">Retry<\/button>/);
  });

  it("no source of the page inserts HTML (innerHTML, dangerouslySetInnerHTML, insertAdjacentHTML, document.write)", () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    for (const file of files("src/dashboard").filter((f) => /\.tsx?$/.test(f))) {
      expect(readFileSync(file, "utf8"), file).not.toMatch(/innerHTML|dangerouslySetInnerHTML|insertAdjacentHTML|outerHTML|document\.write/);
    }
  });
});
