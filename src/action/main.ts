/** Entry of the GitHub Action (bundled to dist/index.js). */
import * as core from "@actions/core";

core.setFailed("gitcrew action is not built yet");
