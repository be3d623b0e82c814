/**
 * YAML agent files → units. On a large crew, parsing YAML is most of a warm
 * call, so the parsed values of a whole crew are cached on disk under the hash
 * of its YAML texts; positions (needed only to place an error) are parsed
 * lazily, on first use. The yaml library itself (~15 ms to load) is imported
 * only when something must be parsed: a warm call never loads it.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { join } from "node:path";
import { cacheRoot } from "./cue.js";
import type { YamlUnit } from "./program.js";
import type { Problem } from "./types.js";

export interface YamlSource {
  key: string;
  file: string;
  text: string;
}

let yamlLib: typeof import("yaml") | undefined;

/** Load the yaml library; positions of YAML units can be read once this has resolved. */
export async function loadYaml(): Promise<void> {
  // Bundled, the CommonJS build of yaml arrives as the default export only.
  const mod = (await import("yaml")) as typeof import("yaml") & { default?: typeof import("yaml") };
  yamlLib ??= mod.default?.parseDocument ? mod.default : mod;
}

function parse(text: string) {
  if (!yamlLib) throw new Error("internal: YAML positions read before loadYaml()");
  const lines = new yamlLib.LineCounter();
  const doc = yamlLib.parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  return { doc, lines };
}

function unit(src: YamlSource, value: unknown, parsed?: ReturnType<typeof parse>): YamlUnit {
  let source = parsed;
  const positions = () => (source ??= parse(src.text));
  return {
    kind: "yaml",
    key: src.key,
    file: src.file,
    value,
    get doc() {
      return positions().doc;
    },
    get lines() {
      return positions().lines;
    },
  };
}

function parseOne(src: YamlSource, problems: Problem[]): YamlUnit | undefined {
  const parsed = parse(src.text);
  if (parsed.doc.errors.length > 0) {
    for (const e of parsed.doc.errors) {
      const pos = parsed.lines.linePos(e.pos[0]);
      problems.push({ file: src.file, line: pos.line, column: pos.col, message: `YAML: ${e.message.split("\n")[0]}` });
    }
    return undefined;
  }
  let value: unknown;
  try {
    value = parsed.doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    // The yaml library throws on alias bombs ("Excessive alias count") and similar: say it at the file.
    const message = (err as Error).message.split("\n")[0] ?? "";
    problems.push({ file: src.file, line: 1, column: 1, message: `YAML: ${message}${/alias/i.test(message) ? " (aliases that expand this far are refused)" : ""}` });
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push({ file: src.file, line: 1, column: 1, message: "an agent file must be a mapping of fields (runtime: claude, …)" });
    return undefined;
  }
  return unit(src, value, parsed);
}

/** Units for `sources`, in order; files that do not parse are left out with their problems. */
export async function yamlUnits(sources: YamlSource[], problems: Problem[], env: NodeJS.ProcessEnv): Promise<(YamlUnit | undefined)[]> {
  if (sources.length === 0) return [];
  const hash = createHash("sha256").update("yaml-v1\0");
  for (const s of sources) hash.update(`${s.file}\0${s.text}\0`);
  const file = join(cacheRoot(env), "yaml-v1", `${hash.digest("hex")}.json`);
  const useCache = !env.GITCREW_NO_CACHE;
  if (useCache) {
    try {
      const values = JSON.parse(fs.readFileSync(file, "utf8")) as unknown[];
      if (Array.isArray(values) && values.length === sources.length) return sources.map((s, i) => unit(s, values[i]));
    } catch {
      // not cached yet: parse
    }
  }
  await loadYaml();
  const units = sources.map((s) => parseOne(s, problems));
  if (useCache && units.every((u) => u !== undefined)) {
    try {
      fs.mkdirSync(join(file, ".."), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(units.map((u) => u?.value)));
      fs.renameSync(tmp, file);
    } catch {
      // a read-only cache only costs speed
    }
  }
  return units;
}
