/** The `docker` CLI for image builds (import/build stream their progress; runs use the API). */
import { spawn } from "node:child_process";
import { EnvironmentError, GitcrewError, EXIT } from "../../util/errors.js";

export interface CmdOptions {
  cwd?: string;
  /** Progress lines go here, marked as a tool's output (the build's own steps are not). */
  log?: (line: string, kind?: "output") => void;
  /** Fed to stdin. */
  input?: NodeJS.ReadableStream;
}

/** Run a command, stream its output to `log`, resolve with stdout; reject with the tail of its output. */
export function exec(cmd: string, args: string[], opts: CmdOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: [opts.input ? "pipe" : "ignore", "pipe", "pipe"] });
    let out = "";
    let tail = "";
    const onData = (chunk: Buffer, keep: boolean) => {
      const text = chunk.toString("utf8");
      if (keep) out += text;
      tail = (tail + text).slice(-4000);
      for (const line of text.split(/\r?\n|\r/)) if (line.trim()) opts.log?.(line, "output");
    };
    child.stdout?.on("data", (c: Buffer) => onData(c, true));
    child.stderr?.on("data", (c: Buffer) => onData(c, false));
    if (opts.input && child.stdin) opts.input.pipe(child.stdin);
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "ENOENT" ? new EnvironmentError(`"${cmd}" is not installed`, `install it (Debian: apt-get install ${cmd === "docker" ? "docker.io" : cmd})`) : err),
    );
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new GitcrewError(`${cmd} ${args.slice(0, 2).join(" ")} failed (exit ${code}):\n${tail.trim()}`, EXIT.environment));
    });
  });
}

/** The value of one label of an image: undefined when the image is missing, "" when it lacks the label. */
export async function imageLabel(tag: string, label: string): Promise<string | undefined> {
  try {
    return (await exec("docker", ["image", "inspect", "--format", `{{index .Config.Labels ${JSON.stringify(label)}}}`, tag])).trim().replace(/^<no value>$/, "");
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    return undefined;
  }
}
