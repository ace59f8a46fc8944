// Minify every script build.py hands over, in this one Node process (reader/minify.py runs it).
// stdin: {"files": {name: source}, "options": terser's options}; stdout: {"code": {name: minified},
// "errors": [{file, line, message}]}, every file tried so that all errors show in one run.
import { minify } from 'terser';

let input = '';
for await (const chunk of process.stdin.setEncoding('utf8')) input += chunk;
const { files, options } = JSON.parse(input);
/** @type {Record<string, string>} */
const code = {};
/** @type {{file: string, line: number | null, message: string}[]} */
const errors = [];
for (const [name, source] of Object.entries(files)) {
  try {
    code[name] = (await minify({ [name]: source }, options)).code ?? '';
  } catch (error) {
    const { line, message } = /** @type {{line?: number, message?: string}} */ (error);
    errors.push({ file: name, line: line ?? null, message: String(message ?? error) });
  }
}
process.stdout.write(JSON.stringify({ code, errors }));
