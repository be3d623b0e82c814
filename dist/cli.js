import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res) => function __init() {
  return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/util/errors.ts
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}
var EXIT, GitcrewError;
var init_errors = __esm({
  "src/util/errors.ts"() {
    "use strict";
    EXIT = {
      ok: 0,
      /** The crew has problems, or the run failed. */
      failed: 1,
      /** Bad flags or arguments. */
      usage: 2,
      /** Bad input file: payload not JSON, wrong event, unreadable. */
      input: 3,
      /** The environment is not ready: Docker engine down, image missing, git missing. */
      environment: 4,
      /** The run timed out (as `timeout(1)`). */
      timeout: 124
    };
    GitcrewError = class extends Error {
      exitCode;
      /** What the user can do about it. */
      hint;
      constructor(message, exitCode, hint) {
        super(message);
        this.name = new.target.name;
        this.exitCode = exitCode;
        this.hint = hint;
      }
    };
  }
});

// src/cli/init.ts
var init_exports = {};
__export(init_exports, {
  verb: () => verb
});
var verb;
var init_init = __esm({
  "src/cli/init.ts"() {
    "use strict";
    init_errors();
    verb = {
      summary: "(not built yet)",
      usage: "gitcrew init",
      async run() {
        throw new GitcrewError("gitcrew init is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/validate.ts
var validate_exports = {};
__export(validate_exports, {
  verb: () => verb2
});
var verb2;
var init_validate = __esm({
  "src/cli/validate.ts"() {
    "use strict";
    init_errors();
    verb2 = {
      summary: "(not built yet)",
      usage: "gitcrew validate",
      async run() {
        throw new GitcrewError("gitcrew validate is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/dry-run.ts
var dry_run_exports = {};
__export(dry_run_exports, {
  verb: () => verb3
});
var verb3;
var init_dry_run = __esm({
  "src/cli/dry-run.ts"() {
    "use strict";
    init_errors();
    verb3 = {
      summary: "(not built yet)",
      usage: "gitcrew dry-run",
      async run() {
        throw new GitcrewError("gitcrew dry-run is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/run.ts
var run_exports = {};
__export(run_exports, {
  verb: () => verb4
});
var verb4;
var init_run = __esm({
  "src/cli/run.ts"() {
    "use strict";
    init_errors();
    verb4 = {
      summary: "(not built yet)",
      usage: "gitcrew run",
      async run() {
        throw new GitcrewError("gitcrew run is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/ps.ts
var ps_exports = {};
__export(ps_exports, {
  verb: () => verb5
});
var verb5;
var init_ps = __esm({
  "src/cli/ps.ts"() {
    "use strict";
    init_errors();
    verb5 = {
      summary: "(not built yet)",
      usage: "gitcrew ps",
      async run() {
        throw new GitcrewError("gitcrew ps is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/logs.ts
var logs_exports = {};
__export(logs_exports, {
  verb: () => verb6
});
var verb6;
var init_logs = __esm({
  "src/cli/logs.ts"() {
    "use strict";
    init_errors();
    verb6 = {
      summary: "(not built yet)",
      usage: "gitcrew logs",
      async run() {
        throw new GitcrewError("gitcrew logs is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/cancel.ts
var cancel_exports = {};
__export(cancel_exports, {
  verb: () => verb7
});
var verb7;
var init_cancel = __esm({
  "src/cli/cancel.ts"() {
    "use strict";
    init_errors();
    verb7 = {
      summary: "(not built yet)",
      usage: "gitcrew cancel",
      async run() {
        throw new GitcrewError("gitcrew cancel is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/retry.ts
var retry_exports = {};
__export(retry_exports, {
  verb: () => verb8
});
var verb8;
var init_retry = __esm({
  "src/cli/retry.ts"() {
    "use strict";
    init_errors();
    verb8 = {
      summary: "(not built yet)",
      usage: "gitcrew retry",
      async run() {
        throw new GitcrewError("gitcrew retry is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/images.ts
var images_exports = {};
__export(images_exports, {
  verb: () => verb9
});
var verb9;
var init_images = __esm({
  "src/cli/images.ts"() {
    "use strict";
    init_errors();
    verb9 = {
      summary: "(not built yet)",
      usage: "gitcrew images",
      async run() {
        throw new GitcrewError("gitcrew images is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/approvals.ts
var approvals_exports = {};
__export(approvals_exports, {
  verb: () => verb10
});
var verb10;
var init_approvals = __esm({
  "src/cli/approvals.ts"() {
    "use strict";
    init_errors();
    verb10 = {
      summary: "(not built yet)",
      usage: "gitcrew approvals",
      async run() {
        throw new GitcrewError("gitcrew approvals is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/serve.ts
var serve_exports = {};
__export(serve_exports, {
  verb: () => verb11
});
var verb11;
var init_serve = __esm({
  "src/cli/serve.ts"() {
    "use strict";
    init_errors();
    verb11 = {
      summary: "(not built yet)",
      usage: "gitcrew serve",
      async run() {
        throw new GitcrewError("gitcrew serve is not built yet", EXIT.failed);
      }
    };
  }
});

// src/cli/main.ts
init_errors();
var VERBS = {
  init: () => Promise.resolve().then(() => (init_init(), init_exports)),
  validate: () => Promise.resolve().then(() => (init_validate(), validate_exports)),
  "dry-run": () => Promise.resolve().then(() => (init_dry_run(), dry_run_exports)),
  run: () => Promise.resolve().then(() => (init_run(), run_exports)),
  ps: () => Promise.resolve().then(() => (init_ps(), ps_exports)),
  logs: () => Promise.resolve().then(() => (init_logs(), logs_exports)),
  cancel: () => Promise.resolve().then(() => (init_cancel(), cancel_exports)),
  retry: () => Promise.resolve().then(() => (init_retry(), retry_exports)),
  images: () => Promise.resolve().then(() => (init_images(), images_exports)),
  approvals: () => Promise.resolve().then(() => (init_approvals(), approvals_exports)),
  serve: () => Promise.resolve().then(() => (init_serve(), serve_exports))
};
async function helpText() {
  const lines = ["gitcrew \u2014 run AI coding agents from a Git repository", "", "Usage: gitcrew <command> [flags]", "", "Commands:"];
  for (const [name, load] of Object.entries(VERBS)) {
    const { verb: verb12 } = await load();
    lines.push(`  ${name.padEnd(10)} ${verb12.summary}`);
  }
  lines.push("", "Run `gitcrew <command> --help` for the flags of one command.", "Exit codes: 0 ok, 1 failed, 2 usage, 3 bad input, 4 environment not ready, 124 timed out.");
  return lines.join("\n") + "\n";
}
async function main(io) {
  const [name, ...rest] = io.argv;
  try {
    if (!name || name === "--help" || name === "-h" || name === "help") {
      io.stdout(await helpText());
      return name ? EXIT.ok : EXIT.usage;
    }
    if (name === "--version" || name === "-v") {
      io.stdout(`${process.env.GITCREW_VERSION ?? "0.1.0"}
`);
      return EXIT.ok;
    }
    const load = VERBS[name];
    if (!load) {
      io.stderr(`gitcrew: unknown command "${name}"

${await helpText()}`);
      return EXIT.usage;
    }
    const { verb: verb12 } = await load();
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(`${verb12.usage}
`);
      return EXIT.ok;
    }
    return await verb12.run({ ...io, argv: rest });
  } catch (err) {
    if (err instanceof GitcrewError) {
      io.stderr(`gitcrew ${name}: ${err.message}
${err.hint ? `${err.hint}
` : ""}`);
      return err.exitCode;
    }
    io.stderr(`gitcrew ${name}: unexpected error: ${errorMessage(err)}
`);
    if (io.env.GITCREW_DEBUG) io.stderr(`${err.stack ?? ""}
`);
    return EXIT.failed;
  }
}

// src/cli/entry.ts
var controller = new AbortController();
process.once("SIGINT", () => controller.abort());
process.once("SIGTERM", () => controller.abort());
var code = await main({
  argv: process.argv.slice(2),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal
});
process.exitCode = code;
