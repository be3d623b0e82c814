/**
 * Markdown-aware splitting of long answers: every fence style, tables,
 * lists and <details> blocks are split only between blocks (or rows, items,
 * lines of a fence that alone exceeds a part), and joining the parts gives
 * back the answer exactly, once what the split adds is taken out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitBody } from "../../src/github/index.js";
import { chunkText, splitMarkdown, type SplitPart } from "../../src/github/split.js";

const BUDGET = 600;

/** The answer back from the posted parts: each part less the fence or header the split put before and after it. */
function joinParts(posted: string[], parts: SplitPart[]): string {
  expect(posted).toHaveLength(parts.length);
  return posted
    .map((text, i) => {
      const { open, close } = parts[i]!;
      expect(text.startsWith(open) && text.endsWith(close)).toBe(true);
      return text.slice(open.length, text.length - close.length);
    })
    .join("");
}

function split(text: string, budget = BUDGET): { posted: string[]; parts: SplitPart[] } {
  const posted = chunkText(text, budget);
  const parts = splitMarkdown(text, budget);
  for (const p of posted) expect(p.length).toBeLessThanOrEqual(budget);
  expect(joinParts(posted, parts)).toBe(text);
  return { posted, parts };
}

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join("\n");

describe("a long fenced block in every fence style", () => {
  const styles: [string, string, string][] = [
    // [name, opener line, how its content lines are indented]
    ["backticks", "```python", ""],
    ["tildes", "~~~python", ""],
    ["four backticks around a three-backtick line", "````python", ""],
    ["five tildes", "~~~~~python", ""],
    ["indented by three spaces", "   ```python", "   "],
    ["inside a list item", "- ```python", "  "],
    ["inside a numbered list item", "12. ~~~python", "    "],
    ["inside a blockquote", "> ```python", "> "],
  ];
  it.each(styles)("%s: closed at the end of each part and reopened with its info string", (_name, opener, indent) => {
    const markup = /(`{3,}|~{3,})/.exec(opener)![1]!;
    const inner = markup.startsWith("````") ? "```\n" : "";
    const body = lines(200, (i) => `${indent}${i === 50 ? inner.trim() || "print(50)" : `print(${i})`}`);
    const text = `Here is the script:\n\n${opener}\n${body}\n${indent}${markup}\n\nThat is all.`;
    const { posted, parts } = split(text);
    expect(posted.length).toBeGreaterThan(3);
    const reopen = `${opener.replace(/^(\d+\.|-)/, (m) => " ".repeat(m.length))}\n`;
    for (const [i, p] of posted.entries()) {
      // Each part holds as many fence lines of this markup as it opens: its fences are closed.
      const fenceLines = p.split("\n").filter((l) => l.replace(/^[\s>\-\d.]*/, "") .startsWith(markup) && !l.replace(/^[\s>\-\d.]*/, "").startsWith(`${markup}${markup[0]}`));
      expect(fenceLines.length % 2, `part ${i + 1}:\n${p}`).toBe(0);
      if (i > 0 && i < posted.length - 1) expect(parts[i]!.open).toBe(reopen);
    }
    expect(posted.at(-1)).toMatch(/That is all\.$/);
  });
});

describe("tables, lists, <details>", () => {
  it("a long table is cut between rows and each part repeats the header", () => {
    const header = "| n | square | note |\n|--:|---:|:---|";
    const text = `Results:\n\n${header}\n${lines(150, (i) => `| ${i} | ${i * i} | row ${i} of the table |`)}\n\nDone.`;
    const { posted } = split(text);
    expect(posted.length).toBeGreaterThan(3);
    for (const p of posted.slice(1, -1)) expect(p.startsWith(`${header}\n| `)).toBe(true);
    for (const p of posted) for (const l of p.split("\n")) if (l.startsWith("|")) expect(l.endsWith("|")).toBe(true);
  });

  it("a long list is cut between items, never inside an item's lines", () => {
    const text = lines(120, (i) => `- item ${i}: something to do${"\n  and one more line".repeat(i % 4)}`);
    const { posted } = split(text);
    expect(posted.length).toBeGreaterThan(3);
    for (const p of posted) expect(p).toMatch(/^- item \d+/);
  });

  it("<details> blocks with blank lines inside are never cut when each fits in a part", () => {
    const block = (i: number) => `<details>\n<summary>Log ${i}</summary>\n\n${lines(8, (j) => `line ${j} of log ${i}`)}\n\n</details>`;
    const text = lines(20, (i) => `Step ${i}:\n\n${block(i)}\n`);
    const { posted } = split(text);
    expect(posted.length).toBeGreaterThan(3);
    for (const p of posted) expect((p.match(/<details>/g) ?? []).length, p).toBe((p.match(/<\/details>/g) ?? []).length);
  });

  it("an HTML block larger than a part is cut at line ends as plain text, adding nothing", () => {
    const text = `<details>\n<summary>Everything</summary>\n\n${lines(200, (i) => `line ${i}`)}\n\n</details>`;
    const { posted, parts } = split(text);
    expect(posted.length).toBeGreaterThan(2);
    for (const p of parts) expect(p.open + p.close).toBe("");
    for (const p of posted.slice(0, -1)) expect(p.endsWith("\n")).toBe(true);
  });

  it("paragraphs are cut only between paragraphs", () => {
    const text = lines(60, (i) => `Paragraph ${i} ${"word ".repeat(15)}${"\nstill the same paragraph".repeat(i % 5)}\n`);
    const { posted } = split(text);
    for (const p of posted) expect(p).toMatch(/^Paragraph \d+ /);
  });

  it("splitBody says part i of n in every part and keeps gitcrew's marker last", () => {
    const marker = "<!-- gitcrew:origin agent=dev run=r depth=1 -->";
    const parts = splitBody(`~~~text\n${"log line\n".repeat(3000)}~~~\n\n${marker}`, 4000);
    parts.forEach((p, i) => {
      expect(p).toContain(`part ${i + 1} of ${parts.length}`);
      expect(p.endsWith(`\n\n${marker}`)).toBe(true);
      expect(p.length).toBeLessThanOrEqual(4000);
      expect((p.match(/^~~~/gm) ?? []).length % 2).toBe(0);
    });
  });
});

describe("any markdown-ish text", () => {
  const line = fc.oneof(
    fc.constantFrom("", "", "```", "```js", "~~~", "~~~~ sh", "   ```", "    ```", "- ```", "> ~~~", "````"),
    fc.constantFrom("| a | b |", "|---|---|", "| 1 | 2 |", "- item", "1. item", "  - nested", "> quote", "# Heading"),
    fc.constantFrom("<details>", "<summary>s</summary>", "</details>", "<div>", "</div>", "<!-- c -->"),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", minLength: 100, maxLength: 400 }),
  );
  const eol = fc.constantFrom("\n", "\n", "\n", "\r\n", "\r");

  it("every part fits and the parts join back to the input", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(line, eol), { maxLength: 120 }), fc.integer({ min: 100, max: 700 }), (ls, budget) => {
        const text = ls.map(([l, e]) => l + e).join("");
        const posted = chunkText(text, budget);
        for (const p of posted) expect(p.length).toBeLessThanOrEqual(budget);
        for (const p of posted) expect(p).not.toMatch(/[\uD800-\uDBFF]$/);
        expect(joinParts(posted, splitMarkdown(text, budget))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
