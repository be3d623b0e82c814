/** Splitting long comment bodies: limits, fences, emoji, and the origin marker in every part. */
import { describe, expect, it } from "vitest";
import { chunkText, retryDelay, splitBody, toPermission, withClosing } from "../../src/github/index.js";
import { clipAnswer } from "../../src/github/split.js";

describe("clipAnswer", () => {
  it("leaves an answer within the limit alone", () => {
    expect(clipAnswer("short", 100)).toEqual({ text: "short", cut: 0 });
  });

  it("cuts at a line end, says how much it left out, and closes a fence the cut left open", () => {
    const answer = `intro\n~~~~sh\n${"echo hi\n".repeat(100)}~~~~\nend`;
    const { text, cut } = clipAnswer(answer, 300);
    expect(text.endsWith("echo hi\n~~~~")).toBe(true);
    expect(text.length).toBeLessThanOrEqual(300 + 5);
    expect(cut).toBe(answer.length - (text.length - 5));
    const ticks = clipAnswer(`\`\`\`\`js\n${"x();\n".repeat(100)}`, 200).text;
    expect(ticks.endsWith("\n````")).toBe(true);
  });
});

describe("splitBody", () => {
  it("leaves a body within the limit alone", () => {
    expect(splitBody("short", 100)).toEqual(["short"]);
  });

  it("cuts a body without newlines and never inside an emoji", () => {
    const body = "😀".repeat(5000); // 10,000 UTF-16 units
    const parts = splitBody(body, 2000);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(p).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
    }
    expect(parts.join("").match(/😀/g)).toHaveLength(5000);
  });

  it("closes an open code fence and reopens it with its language in the next part", () => {
    const body = "```python\n" + Array.from({ length: 400 }, (_, i) => `print(${i})`).join("\n") + "\n```\nafter";
    const parts = splitBody(body, 1500);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect((p.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(parts[1]).toMatch(/^<sub>continued: part 2 of \d+<\/sub>\n\n```python\n/);
    parts.forEach((p, i) => expect(p).toContain(`part ${i + 1} of ${parts.length}`));
  });

  it("repeats the gitcrew marker in every part", () => {
    const marker = "<!-- gitcrew:origin agent=dev run=r depth=1 -->";
    const parts = splitBody(`${"a\n".repeat(3000)}${marker}`, 1000);
    expect(parts.every((p) => p.endsWith(marker))).toBe(true);
    expect(parts.every((p) => p.split(marker).length === 2)).toBe(true);
  });

  it("chunkText keeps every character", () => {
    const text = Array.from({ length: 500 }, (_, i) => `row ${i}`).join("\n");
    expect(chunkText(text, 400).join("")).toBe(text);
  });
});

describe("small rules", () => {
  it("maps role names, falling back to the legacy permission for custom roles", () => {
    expect(toPermission("maintain", "write")).toBe("maintain");
    expect(toPermission("security-reviewer", "read")).toBe("read");
    expect(toPermission(undefined, "bogus")).toBe("none");
  });

  it("links the issue once", () => {
    expect(withClosing("Fix it.", 4)).toBe("Fix it.\n\nCloses #4");
    expect(withClosing("Fixes #4 properly", 4)).toBe("Fixes #4 properly");
  });

  it("retries rate limits and 5xx but not other client errors", () => {
    const h = (headers: Record<string, string>, status: number) => ({ status, headers, message: "" });
    expect(retryDelay(h({ "retry-after": "3" }, 429), 1)).toBe(3000);
    expect(retryDelay(h({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": "100" }, 403), 1, {}, 90_000)).toBe(10_500);
    expect(retryDelay(h({}, 403), 1)).toBeUndefined();
    expect(retryDelay(h({}, 422), 1)).toBeUndefined();
    expect(retryDelay(h({}, 503), 3, { baseDelayMs: 100 })).toBeGreaterThanOrEqual(200);
  });
});
