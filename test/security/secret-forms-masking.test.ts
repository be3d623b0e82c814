/**
 * A secret holding `"`, `\` or newlines (a PEM key, a JSON credential) is
 * masked in every form it takes on the way to a sink: raw, JSON-escaped (run
 * records and events are JSON), URL-encoded, base64 at any offset, and line
 * by line. Before, only the raw value was masked, so the JSON sinks kept the
 * escaped form in clear.
 */
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectGitHub, secretMask, type GitHubClient } from "../../src/github/index.js";
import { Runner } from "../../src/runner/runner.js";
import { SecretMasker, secretForms } from "../../src/util/secret-mask.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const PEM = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString().trim();
const CREDENTIAL = JSON.stringify({ type: "service_account", private_key: "-----BEGIN KEY-----\nMIIEvQIBADAN\\q\"x\n-----END KEY-----\n", client_email: "bot@x.iam" });

/** What a reader could recover a secret from: its raw value, its escaped and encoded forms, each line long enough. */
const leaks = (text: string, secret: string) => secretForms(secret).filter((f) => text.includes(f));

describe("the masker, for any secret and any text around it", () => {
  const secret = fc.string({ unit: "binary", minLength: 4, maxLength: 40 });
  const text = fc.string({ unit: "binary", maxLength: 40 });

  it("leaves no form of the secret in raw, JSON, URL-encoded or base64 text", () => {
    fc.assert(
      fc.property(secret, text, text, (s, a, b) => {
        const m = new SecretMasker([s]);
        for (const shown of [a + s + b, JSON.stringify({ out: a + s + b }), encodeURIComponent(a + s + b), Buffer.from(a + s + b).toString("base64")]) {
          expect(leaks(m.mask(shown), s)).toEqual([]);
        }
        expect(leaks(JSON.stringify(m.maskDeep({ out: a + s + b, list: [s] })), s)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("masks each line of a multi-line secret on its own; lines under 4 characters are left alone", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme-ascii", minLength: 4, maxLength: 20 }).filter((l) => l.trim().length >= 4 && !/[\r\n]/.test(l)), { minLength: 2, maxLength: 5 }), text, (lines, a) => {
        const s = lines.join("\n");
        const m = new SecretMasker([s]);
        for (const line of lines) expect(m.mask(`${a}${line}${a}`)).not.toContain(line.trim());
      }),
      { numRuns: 200 },
    );
    expect(new SecretMasker(["abc\nlonger-line"]).mask("abc longer-line")).toBe("abc ***");
  });
});

describe("every sink of a run, with a PEM key and a JSON credential", () => {
  let repo: string;
  let home: string;
  let runner: Runner;
  let env: DoubleRepo;
  let gh: GitHubClient;

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    // The agent prints each secret raw (many lines), base64-encoded, URL-encoded (as a query string) and as JSON of its own making.
    const script = [
      'printf "%s\\n" "$PEM_KEY" "$GCP_CREDENTIAL"',
      'printf "%s" "$PEM_KEY" | base64 | tr -d "\\n"; echo',
      'printf "x%s" "$GCP_CREDENTIAL" | base64 | tr -d "\\n"; echo',
      'printf "%s" "$GCP_CREDENTIAL" | od -An -tx1 -v | tr -d " \\n" | sed "s/../%&/g"; echo',
      'printf "{\\"key\\": \\"%s\\"}\\n" "$(printf "%s" "$PEM_KEY" | sed ":a;N;s/\\n/\\\\\\\\n/;ba")"',
      'echo "ok" > done.txt',
    ].join("\n");
    repo = await makeCrewRepo([shAgent("leaky", script, "secrets: [PEM_KEY, GCP_CREDENTIAL]\n")]);
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home, PEM_KEY: PEM, GCP_CREDENTIAL: CREDENTIAL } });
    env = await startDoubleWithRepo("acme/widgets", { "README.md": "# widgets\n" });
    gh = await connectGitHub({ auth: { token: env.double.token("gitcrew-bot", "Bot") }, baseUrl: env.double.url, mask: secretMask([PEM, CREDENTIAL]) });
  }, 120_000);

  afterAll(() => env?.close());

  it("the log lines, events and stored run record hold no form of either secret; the comment posted from the log holds none", async () => {
    const { agent } = await loadAgent(repo, "leaky", { ...process.env, PEM_KEY: PEM, GCP_CREDENTIAL: CREDENTIAL });
    const { result, logs, events } = await runOnce(runner, repo, agent, "leak");
    expect(result.status, result.reason).toBe("succeeded");
    const logText = logs.join("\n");
    expect(logText).toContain("***");
    const record = readFileSync(join(runner.records.dir(result.run), "run.json"), "utf8");
    const logFile = readFileSync(runner.records.logFile(result.run), "utf8");
    for (const secret of [PEM, CREDENTIAL]) {
      expect(leaks(logText, secret), "log lines").toEqual([]);
      expect(leaks(JSON.stringify(events), secret), "events").toEqual([]);
      expect(leaks(JSON.stringify(result), secret), "result").toEqual([]);
      expect(leaks(record, secret), "run record").toEqual([]);
      expect(leaks(logFile, secret), "log file").toEqual([]);
    }
    // An answer quoting the agent's output, and the secret itself as JSON, go to GitHub masked.
    const issue = env.double.addIssue(env.fullName, { title: "Leak", user: "alice" });
    await gh.createComment({ owner: "acme", repo: "widgets" }, issue.number, `output:\n${logText}\n${JSON.stringify({ pem: PEM, cred: CREDENTIAL })}\n${PEM}`);
    const body = env.double.comments(env.fullName, issue.number)[0]?.body ?? "";
    for (const secret of [PEM, CREDENTIAL]) expect(leaks(body, secret), "comment body").toEqual([]);
    expect(body).toContain("***");
    env.double.assertNoViolations();
  }, 120_000);
});
