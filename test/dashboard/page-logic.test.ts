/** The page's pure parts: routes, the runs list's merging and paging, the log buffer, the words it shows. */
import { describe, expect, it } from "vitest";
import { plainLog, queueText, runDuration, tokens, usd } from "../../src/dashboard/format.js";
import { parseRoute, runHash, runsHash } from "../../src/dashboard/route.js";
import { appendOlder, mergeFirstPage, runsPath } from "../../src/dashboard/pages/runs.js";
import { LogBuffer } from "../../src/dashboard/pages/run.js";
import type { RunRow } from "../../src/dashboard/types.js";

const row = (id: string, createdAt: number, status: RunRow["status"] = "queued"): RunRow => ({ id, repo: "o/r", agent: "dev", threadKey: "o/r#1", status, createdAt });

describe("routes", () => {
  it("reads every page and round-trips filters and run ids", () => {
    expect(parseRoute("")).toEqual({ page: "runs", filters: { agent: "", status: "", thread: "", repo: "" } });
    expect(parseRoute(runsHash({ agent: "dev", status: "running", thread: "o/r#12", repo: "o/r" }))).toEqual({ page: "runs", filters: { agent: "dev", status: "running", thread: "o/r#12", repo: "o/r" } });
    const id = "7f1c-delivery:dev~retry2/../x?y#z";
    expect(parseRoute(runHash(id))).toEqual({ page: "run", id });
    for (const p of ["queue", "approvals", "crew", "health"]) expect(parseRoute(`#/${p}`)).toEqual({ page: p });
    expect(parseRoute("#/runs/%E0%A4%A")).toEqual({ page: "missing", path: "/runs/%E0%A4%A" });
    expect(parseRoute("#/nope").page).toBe("missing");
  });

  it("asks the server for one page of 50 with the filters and the cursor", () => {
    expect(runsPath({ agent: "dev", status: "", thread: "o/r#1", repo: "" }, "123.abc")).toBe("/api/runs?agent=dev&thread=o%2Fr%231&before=123.abc&limit=50");
  });
});

describe("the runs list kept live", () => {
  it("a refreshed first page replaces its rows and keeps older pages below it", () => {
    const shown = [row("c", 30), row("b", 20), row("a", 10)];
    const first = [row("d", 40), row("c", 30, "running")];
    expect(mergeFirstPage(first, shown).map((r) => `${r.id}:${r.status}`)).toEqual(["d:queued", "c:running", "b:queued", "a:queued"]);
  });

  it("a row newer than the first page's last one that the page no longer holds has left the filter", () => {
    const shown = [row("c", 30), row("b", 20), row("a", 10)];
    expect(mergeFirstPage([row("c", 30), row("a", 10)], shown).map((r) => r.id)).toEqual(["c", "a"]);
    expect(mergeFirstPage([], shown)).toEqual([]);
  });

  it("an older page appends without repeating a row pushed down by new runs", () => {
    const shown = [row("d", 40), row("c", 30, "running")];
    expect(appendOlder(shown, [row("c", 30), row("b", 20)]).map((r) => `${r.id}:${r.status}`)).toEqual(["d:queued", "c:running", "b:queued"]);
  });
});

describe("the live log", () => {
  it("keeps each chunk once, in order, across a reconnect that resends", () => {
    const log = new LogBuffer();
    expect(log.add({ seq: 1, text: "a\n" })).toBe(true);
    expect(log.add({ seq: 2, text: "b\n" })).toBe(true);
    expect(log.add({ seq: 2, text: "b\n" })).toBe(false);
    expect(log.add({ seq: 1, text: "a\n" })).toBe(false);
    expect(log.add({ seq: 3, text: "\u001b[31mred\u001b[0m\n" })).toBe(true);
    expect(String(log)).toBe("a\nb\nred\n");
    expect(log.lastSeq).toBe(3);
  });

  it("drops terminal sequences (colours, titles, carriage-return overwrites) but keeps the text", () => {
    expect(plainLog("\u001b]0;title\u0007ok\u001b[1;32m done\u001b[0m\r\nnext\rover")).toBe("ok done\r\nnextover");
  });
});

describe("words", () => {
  it("the queue says what the tracking comment says", () => {
    expect(queueText({ id: "x", agent: "dev", threadKey: "o/r#1", repo: "o/r", position: 2, createdAt: 0, waiting: "behind 2 runs of @dev (1 at a time)" })).toBe("queued: 2nd in line, behind 2 runs of @dev (1 at a time)");
    expect(queueText({ id: "x", agent: "dev", threadKey: "o/r#1", repo: "o/r", position: 21, createdAt: 0 })).toBe("queued: behind 20+ runs");
  });

  it("tokens and cost in either shape the server sends; a running run's duration grows", () => {
    expect(tokens({ tokens: { input: 1000, output: 234, total: 1234 }, costUsd: 0.5 })).toBe("1,234");
    expect(usd({ costUsd: 0.5 })).toBe("$0.50");
    expect(tokens({ inputTokens: 10, outputTokens: 5, usd: null })).toBe("15");
    expect(usd({ usd: null })).toBe("");
    expect(runDuration({ ...row("r", 0, "running"), startedAt: 1000 }, 61_000)).toBe(60_000);
    expect(runDuration({ ...row("r", 0, "succeeded"), startedAt: 1000, finishedAt: 3000 }, 61_000)).toBe(2000);
  });
});
