/** What a CLI verb gets: its arguments and where to write. Injected for tests. */
export interface CliIo {
  argv: string[];
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is a terminal (progress redrawn in place), and its width. */
  stderrIsTTY?: boolean;
  columns?: number;
  /** All of standard input as text (`--prompt-file -`). */
  stdin?: () => Promise<string>;
  /** Resolves when the user interrupts (Ctrl-C), for long-running verbs. */
  signal?: AbortSignal;
}

export interface Verb {
  summary: string;
  usage: string;
  run(io: CliIo): Promise<number>;
}
