import { describe, expect, it } from "vitest";
import { safeAvatar, safeLink } from "../../src/dashboard/safe-url.js";

describe("dashboard links to GitHub (safeLink)", () => {
  it("keeps https: URLs as the browser would read them", () => {
    expect(safeLink("https://github.com/o/r/issues/1#issuecomment-2")).toBe("https://github.com/o/r/issues/1#issuecomment-2");
    expect(safeLink("HTTPS://GitHub.com/o/r/pull/3")).toBe("https://github.com/o/r/pull/3");
  });

  it("refuses javascript:, data:, vbscript: and friends in every spelling", () => {
    for (const url of [
      "javascript:alert(document.cookie)",
      "JavaScript:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "\u0000javascript:alert(1)",
      "javascript://github.com/%0Aalert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "blob:https://github.com/x",
      "file:///etc/passwd",
    ]) {
      expect(safeLink(url, "http://127.0.0.1:9999"), url).toBeUndefined();
    }
  });

  it("refuses plain http:, relative links, credentials and non-strings", () => {
    expect(safeLink("http://github.com/o/r/issues/1")).toBeUndefined();
    expect(safeLink("/o/r/issues/1")).toBeUndefined();
    expect(safeLink("//evil.example/x")).toBeUndefined();
    expect(safeLink("https://user:pass@github.com/o/r")).toBeUndefined();
    expect(safeLink(undefined)).toBeUndefined();
    expect(safeLink({ href: "https://github.com" })).toBeUndefined();
    expect(safeLink(`https://github.com/${"a".repeat(3000)}`)).toBeUndefined();
  });

  it("allows http: only on the configured GitHub web URL's origin (the double in tests)", () => {
    const web = "http://127.0.0.1:9999";
    expect(safeLink("http://127.0.0.1:9999/o/r/pull/2", web)).toBe("http://127.0.0.1:9999/o/r/pull/2");
    expect(safeLink("http://127.0.0.1:9998/o/r/pull/2", web)).toBeUndefined();
    expect(safeLink("http://127.0.0.1.evil.example:9999/o/r", web)).toBeUndefined();
    expect(safeLink("http://127.0.0.1:9999/x", "javascript:alert(1)")).toBeUndefined();
  });

  it("shows avatars only from GitHub's avatar host (what the CSP allows)", () => {
    expect(safeAvatar("https://avatars.githubusercontent.com/u/1?v=4")).toBe("https://avatars.githubusercontent.com/u/1?v=4");
    expect(safeAvatar("http://avatars.githubusercontent.com/u/1")).toBeUndefined();
    expect(safeAvatar("https://avatars.githubusercontent.com.evil.example/u/1")).toBeUndefined();
    expect(safeAvatar("javascript:alert(1)")).toBeUndefined();
  });
});
