// Reader mode as Firefox and Safari show it: Mozilla Readability over jsdom.
//   node tests/js/readability.cjs < page.html   ->   {"title", "textContent", "content"} as JSON
'use strict';
const { JSDOM } = require('jsdom');
const { Readability } = require('@mozilla/readability');

let html = '';
process.stdin.setEncoding('utf8').on('data', (d) => { html += d; }).on('end', () => {
  const dom = new JSDOM(html, { url: 'https://example.org/reader/index.html' });
  const article = new Readability(dom.window.document).parse();
  process.stdout.write(JSON.stringify(article ? { title: article.title, textContent: article.textContent, content: article.content } : null));
});
