// Runs the shelf search engine (static/js/shelf*.js) under Node on an index reader/shelfindex.py wrote.
// Reads a JSON list of jobs on stdin, each {dir, manifest, here, queries: [[query, options], ...]}; writes
// each job's answers as JSON. Parts load as in a page (each script calls ReaderShelfParts.part); a file that is not
// there loads nothing, as a missing script would. Used by tests/test_shelfindex.py.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.resolve(__dirname, '..', '..');
const JS_DIR = process.env.READER_JS_DIR || path.join(ROOT, 'static', 'js');
for (const name of ['textnorm.js', 'shelfparts.js', 'shelfindex.js', 'shelfwords.js', 'shelfsearch.js']) {
  vm.runInThisContext(fs.readFileSync(path.join(JS_DIR, name), 'utf8'), { filename: name });
}
// The engine stems as the manifest says (lunr.js's stemmer, and Arabic's from textnorm.js), as a page would.
globalThis.lunr = require(path.join(ROOT, 'node_modules', 'lunr'));

/** Run one part's script, if its file is there (a script that throws is a corrupt part). */
async function load(url) {
  let source;
  try {
    source = fs.readFileSync(url, 'utf8');
  } catch {
    return;
  }
  try {
    vm.runInThisContext(source, { filename: url });
  } catch { /* as a page would: the script's error stays in it */ }
}

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const answers = [];
  for (const job of JSON.parse(input)) {
    const { dir, manifest, here } = job;
    const engine = await globalThis.ReaderShelfSearch.open({ base: `${dir}/`, manifest, here, load });
    const mine = [];
    for (const [query, options] of job.queries) mine.push(await engine.search(query, options));
    answers.push(mine);
  }
  process.stdout.write(JSON.stringify(answers));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e));
  process.exit(1);
});
