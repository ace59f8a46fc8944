// Query latency under Node on a built site's own search bundle (textnorm.js, query.js, search-index.js)
// with the repo's node_modules/lunr, as the browser runs them but without the DOM.
//
//   node bench/query_latency.js SITE_DIR DOCS_JSON QUERIES_JSON [REPS]
//
// DOCS_JSON maps each ref to {title, body} (the text as indexed; phrase checks need it);
// QUERIES_JSON is a list of query strings. Prints one JSON object: load times and per-query timings.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..');
const lunr = require(path.join(ROOT, 'node_modules', 'lunr'));

/** The site-relative paths in index.html's data-bundle attribute. */
function bundleFiles(siteDir) {
  const html = fs.readFileSync(path.join(siteDir, 'index.html'), 'utf8');
  const match = html.match(/data-bundle="([^"]*)"/);
  if (!match) throw new Error('no data-bundle attribute in index.html');
  return match[1].split(/\s+/).filter(Boolean);
}

/** Run a browser script with a fake window (also its self) and return that window. */
function runScript(file, win) {
  const source = fs.readFileSync(file, 'utf8');
  // module/exports/define are shadowed so the UMD wrappers take their browser branch.
  new Function('window', 'self', 'module', 'exports', 'define', source)(win, win, undefined, undefined, undefined);
  return win;
}

/** Load the bundle's own scripts (lunr.min.js aside) and build the engine; return it with timings. */
function loadEngine(siteDir, docs) {
  const win = {};
  const files = bundleFiles(siteDir).filter((f) => !/lunr/.test(path.basename(f)));
  const t0 = performance.now();
  for (const file of files) runScript(path.join(siteDir, file), win);
  const t1 = performance.now();
  const index = win.ReaderQuery.expandIndex(win.READER_SEARCH_INDEX);
  const t2 = performance.now();
  const engine = win.ReaderQuery.createEngine(lunr, index,
    (ref) => (docs[ref] ? docs[ref].body : ''), (ref) => (docs[ref] ? docs[ref].title : ''));
  const t3 = performance.now();
  return { engine, timings: { eval_ms: t1 - t0, expand_ms: t2 - t1, engine_ms: t3 - t2 } };
}

/** Time engine.search(q, {prefix: true}) reps times for each query. */
function timeQueries(engine, queries, reps) {
  const samples = {};
  const counts = {};
  for (const q of queries) {
    samples[q] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      const found = engine.search(q, { prefix: true });
      samples[q].push(performance.now() - t0);
      counts[q] = found.results.length;
    }
  }
  return { samples, counts };
}

function main() {
  const [siteDir, docsFile, queriesFile, repsArg] = process.argv.slice(2);
  if (!siteDir || !docsFile || !queriesFile) {
    console.error('usage: node bench/query_latency.js SITE_DIR DOCS_JSON QUERIES_JSON [REPS]');
    process.exit(2);
  }
  const docs = JSON.parse(fs.readFileSync(docsFile, 'utf8'));
  const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
  const { engine, timings } = loadEngine(siteDir, docs);
  const { samples, counts } = timeQueries(engine, queries, Number(repsArg) || 5);
  process.stdout.write(JSON.stringify({ ...timings, samples, counts }) + '\n');
}

main();
