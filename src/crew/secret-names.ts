/**
 * Secret names an agent may not declare: the runner's own credentials and
 * settings (the GitHub token of the workflow or server, the Actions runtime
 * tokens, the Action's inputs, gitcrew's server secrets) and names gitcrew
 * sets itself. A declared secret is copied from the runner's environment into
 * the container, so declaring one of these would hand that credential to the
 * agent. The agent's GitHub access is its `permissions`, never a secret.
 */
const RESERVED: ReadonlyArray<{ test: RegExp; what: string }> = [
  { test: /^GITCREW_/, what: "GITCREW_* are gitcrew's own settings and server secrets" },
  { test: /^GITHUB_/, what: "GITHUB_* hold the runner's GitHub token and workflow context" },
  { test: /^GH_(ENTERPRISE_)?TOKEN$/, what: "GH_TOKEN and GH_ENTERPRISE_TOKEN are GitHub tokens" },
  { test: /^ACTIONS_/, what: "ACTIONS_* are the Actions runtime's tokens" },
  { test: /^RUNNER_/, what: "RUNNER_* belong to the Actions runner" },
  { test: /^INPUT_/, what: "INPUT_* are the Action's inputs (its github-token and app key among them)" },
  { test: /^(HOME|PATH|USER)$/, what: "HOME, PATH and USER are set by gitcrew" },
];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Why `name` cannot be a secret, or undefined when it can. Only names shaped
 * like environment variables are judged (others are refused as names
 * elsewhere), so the reason never echoes anything but [A-Za-z0-9_].
 * Case-insensitive: `github_token` is refused too.
 */
export function reservedSecretReason(name: string): string | undefined {
  if (!ENV_NAME.test(name)) return undefined;
  const upper = name.toUpperCase();
  const hit = RESERVED.find((r) => r.test.test(upper));
  return hit ? `secret "${name}" uses a name gitcrew reserves (${hit.what}); an agent's GitHub access is its \`permissions\`` : undefined;
}

export function isReservedSecretName(name: string): boolean {
  return reservedSecretReason(name) !== undefined;
}
