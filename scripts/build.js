#!/usr/bin/env node
// Bundles the extension, the CLI (and with --bench the benchmarks) with esbuild.
// Everything, runtime libraries included, goes into dist/, so the VSIX needs no node_modules.
const esbuild = require('esbuild');
const path = require('path');

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const root = path.join(__dirname, '..');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
if (args.has('--bench')) {
  builds.push({ ...common, entryPoints: ['bench/index.ts'], outfile: 'dist/bench/index.js', sourcemap: false });
}

async function main() {
  if (args.has('--watch')) {
    for (const b of builds) (await esbuild.context(b)).watch();
    console.log('esbuild: watching');
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
