// Query latency under Node on a built site's own search bundle (textnorm.js, query.js, search-index.js)
// with the repo's node_modules/lunr, as the browser runs them but without the DOM.
//
//   node bench/query_latency.js SITE_DIR DOCS_JSON QUERIES_JSON [REPS]
//
// DOCS_JSON maps each ref to {title, body} (the text as indexed: runs, prefixes and snippets read it);
// QUERIES_JSON is a list of query strings. Each timed call is engine.search(q, {prefix: true, limit: 20})
// plus ReaderQuery.snippet for each result's body, as the results list shows them. The queries are
// taken in turn, so no call repeats the one before (which the engine answers from its cache).
// Prints one JSON object: load times, the first query's time (the engine's lazy set-up included),
// each query's first call after that, and per-query timings, wall (samples) and CPU (cpu).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
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

/** Run the bundle's own scripts (lunr.min.js aside) in a fresh global, as a page would; return it. */
function loadBundle(siteDir) {
  const page = vm.createContext({});
  vm.runInContext('window = globalThis', page);
  for (const file of bundleFiles(siteDir).filter((f) => !/lunr|marks/.test(path.basename(f)))) {
    vm.runInContext(fs.readFileSync(path.join(siteDir, file), 'utf8'), page, { filename: file });
  }
  return page;
}

/** Search the way the results list does: the ranked results and a snippet of each one's body. */
function searchAndSnippets(page, engine, docs, q) {
  const found = engine.search(q, { prefix: true, limit: 20 });
  for (const r of found.results) {
    const body = r.hits.filter((h) => h.field === 'body');
    page.ReaderQuery.snippet(docs[r.ref] ? docs[r.ref].body : '', body, r.run && r.run.field === 'body' ? r.run : null, 25);
  }
  return found;
}

/** Return this process's CPU time in ms (less disturbed than wall time by other processes on a busy machine). */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Time searchAndSnippets over the queries in turn, reps rounds, in wall and CPU ms; the first
 * round's calls are each query's first.
 */
function timeQueries(page, engine, docs, queries, reps) {
  const samples = {}, cpu = {}, first = {}, counts = {}, tiers = {};
  for (let round = 0; round <= reps; round++) {
    for (const q of queries) {
      const t0 = performance.now(), c0 = cpuMs();
      const found = searchAndSnippets(page, engine, docs, q);
      const ms = performance.now() - t0, cpuTaken = cpuMs() - c0;
      if (round === 0) {
        first[q] = ms;
        samples[q] = [];
        cpu[q] = [];
      } else {
        samples[q].push(ms);
        cpu[q].push(cpuTaken);
      }
      counts[q] = found.total;
      tiers[q] = found.tier;
    }
  }
  return { samples, cpu, first, counts, tiers };
}

function main() {
  const [siteDir, docsFile, queriesFile, repsArg] = process.argv.slice(2);
  if (!siteDir || !docsFile || !queriesFile) {
    console.error('usage: node bench/query_latency.js SITE_DIR DOCS_JSON QUERIES_JSON [REPS]');
    process.exit(2);
  }
  const docs = JSON.parse(fs.readFileSync(docsFile, 'utf8'));
  const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
  const t0 = performance.now();
  const page = loadBundle(siteDir);
  const t1 = performance.now(), c1 = cpuMs();
  const index = page.ReaderQuery.expandIndex(page.READER_SEARCH_INDEX);
  const t2 = performance.now(), c2 = cpuMs();
  const engine = page.ReaderQuery.createEngine(lunr, index, (ref, field) => (docs[ref] ? docs[ref][field] : ''));
  const t3 = performance.now(), c3 = cpuMs();
  const firstQuery = searchAndSnippets(page, engine, docs, queries[0]) && performance.now() - t3, firstCpu = cpuMs() - c3;
  const timed = timeQueries(page, engine, docs, queries, Number(repsArg) || 5);
  const out = { eval_ms: t1 - t0, expand_ms: t2 - t1, engine_ms: t3 - t2, first_ms: firstQuery,
    expand_cpu_ms: c2 - c1, engine_cpu_ms: c3 - c2, first_cpu_ms: firstCpu, ...timed };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main();
