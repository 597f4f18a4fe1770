#!/usr/bin/env node
// Builds the web app (src/web/) into a static folder, dist/web/, that any web server or
// CDN can host and that `filmgrain start` serves at `/` (README § The web app).
// esbuild bundles the TypeScript (with the portable SDK) and the CSS (with the bundled
// Inter font files); file names carry a content hash so a host can cache them for ever,
// and index.html (never cached) names the current ones. config.json says where
// endpoints.json is. esbuild only strips types: `npm run lint` type-checks src/web/.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const src = 'src/web';
const out = process.argv[2] ?? 'dist/web';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: { app: join(src, 'main.ts'), style: join(src, 'styles.css') },
  outdir: out,
  bundle: true,
  format: 'esm',
  // The browsers of the last few years (top-level await, CSS nesting not used).
  target: ['chrome111', 'firefox113', 'safari16.4'],
  platform: 'browser',
  minify: true,
  sourcemap: true,
  entryNames: '[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  loader: { '.woff2': 'file', '.woff': 'file' },
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs);
const entry = (name, ext) => {
  const hit = outputs.find(([path]) => basename(path).startsWith(`${name}-`) && path.endsWith(ext));
  if (hit === undefined) throw new Error(`esbuild wrote no ${name}*${ext}`);
  return basename(hit[0]);
};
const html = readFileSync(join(src, 'index.html'), 'utf8')
  .replace('{{app.js}}', entry('app', '.js'))
  .replace('{{app.css}}', entry('style', '.css'));
if (html.includes('{{')) throw new Error('index.html has a placeholder the build does not fill');
writeFileSync(join(out, 'index.html'), html);
for (const f of ['favicon.svg', 'config.json']) copyFileSync(join(src, f), join(out, f));
// The font's licence (SIL OFL 1.1) travels with the font files.
copyFileSync(
  'node_modules/@fontsource-variable/inter/LICENSE',
  join(out, 'assets', 'inter-LICENSE.txt'),
);

const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
console.log(`web app: ${out}/ (${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB)`);
