#!/usr/bin/env node
// Makes a fresh clone ready for `npm start` and `npm test`: system packages, node_modules, and a
// real VS Code (code-server) for the integration and end-to-end tests.
// Node built-ins only: it runs before node_modules exists. Quick and silent-ish when all is present.
//
//   node scripts/setup.js               what `npm start` needs (start.js calls setup() in-process)
//   node scripts/setup.js --for-tests   also Chromium for the browser-driven tests (`npm test`'s pretest)
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const CODE_SERVER_VERSION = '4.100.3'; // VS Code 1.100.3; later releases need Node 22
const CODE_SERVER_DIR = path.join(ROOT, '.cache', 'code-server');
const CODE_SERVER_PACKAGE = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server');
const CHROMIUM = '/usr/bin/chromium';
const APT_PACKAGES = ['libkrb5-dev', 'ripgrep', 'chromium'];

// The ripgrep archive @vscode/ripgrep (inside code-server) would fetch from GitHub; we seed its cache.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };
const RIPGREP_VERSION = 'v13.0.0-10';

function log(line) {
  console.log(`setup: ${line}`);
}

function onPath(command) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function run(command, args, options = {}) {
  log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`'${command} ${args.join(' ')}' failed (exit ${result.status ?? result.signal})`);
}

/** Entry point of the installed code-server, to run with `node`. */
function codeServerEntry() {
  return path.join(CODE_SERVER_PACKAGE, 'out', 'node', 'entry.js');
}

function codeServerInstalled() {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(CODE_SERVER_PACKAGE, 'package.json'), 'utf8'));
    // Its postinstall fills lib/vscode/node_modules; an interrupted install leaves it empty.
    return (
      pkg.version === CODE_SERVER_VERSION &&
      fs.existsSync(codeServerEntry()) &&
      fs.readdirSync(path.join(CODE_SERVER_PACKAGE, 'lib', 'vscode', 'node_modules')).length > 10
    );
  } catch {
    return false;
  }
}

function missingSystemPackages({ forTests, codeServer }) {
  const missing = [];
  const installingCodeServer = codeServer && !codeServerInstalled();
  if (installingCodeServer && !onPath('rg')) missing.push('ripgrep (rg)');
  if (installingCodeServer && !fs.existsSync('/usr/include/krb5.h') && !onPath('krb5-config')) {
    missing.push('libkrb5-dev (krb5.h)');
  }
  if (forTests && !fs.existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  return missing;
}

function installSystemPackages(missing) {
  const command = `apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}`;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    throw new Error(`missing system packages: ${missing.join(', ')}.\n` + `Install them (Debian/Ubuntu, as root): ${command}`);
  }
  log(`installing system packages (missing: ${missing.join(', ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', ...APT_PACKAGES], { env });
}

function nodeModulesOutOfDate() {
  // npm writes node_modules/.package-lock.json on every install: its age is the install's age.
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installed)) return true;
  return fs.statSync(path.join(ROOT, 'package-lock.json')).mtimeMs > fs.statSync(installed).mtimeMs;
}

function seedRipgrepCache() {
  const target = RIPGREP_TARGETS[process.arch];
  if (!target) throw new Error(`no ripgrep build known for ${process.arch}`);
  const cache = path.join(os.tmpdir(), RIPGREP_CACHE);
  const archive = path.join(cache, `ripgrep-${RIPGREP_VERSION}-${target}.tar.gz`);
  if (fs.existsSync(archive)) return;
  const rg = (process.env.PATH || '')
    .split(path.delimiter)
    .map((d) => path.join(d, 'rg'))
    .find((f) => fs.existsSync(f));
  if (!rg) throw new Error('ripgrep (rg) not found on PATH');
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rgpkg-'));
  try {
    fs.copyFileSync(rg, path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    fs.mkdirSync(cache, { recursive: true });
    run('tar', ['czf', archive, '-C', staging, 'rg']);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function installCodeServer() {
  log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, CODE_SERVER_DIR)} (about two minutes, once)`);
  seedRipgrepCache();
  fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
  // A package.json of its own keeps npm from treating the repo as the project to install into.
  fs.writeFileSync(path.join(CODE_SERVER_DIR, 'package.json'), JSON.stringify({ name: 'casebook-code-server', private: true }, null, 2) + '\n');
  // code-server's postinstall refuses to run as root without --unsafe-perm (npm 11 warns it is unknown,
  // and passes it on all the same); node-pty's runs `npx node-gyp`, which without a terminal needs "yes".
  run('npm', ['install', '--prefix', CODE_SERVER_DIR, '--no-save', '--unsafe-perm', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    env: { ...process.env, npm_config_yes: 'true' },
  });
  if (!codeServerInstalled()) {
    throw new Error(
      `code-server installed but ${path.relative(ROOT, CODE_SERVER_PACKAGE)}/lib/vscode/node_modules ` +
        'is not populated (its postinstall failed; see the output above)',
    );
  }
  log('code-server ready');
}

/**
 * Brings the machine and the clone up to date. Throws an Error with a readable message when it cannot.
 * forTests: Chromium is needed too. codeServer: false when a desktop VS Code will be used instead.
 */
function setup({ forTests = false, codeServer = true } = {}) {
  const missing = missingSystemPackages({ forTests, codeServer });
  if (missing.length > 0) installSystemPackages(missing);
  if (nodeModulesOutOfDate()) {
    log('node_modules is missing or older than package-lock.json');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  if (codeServer && !codeServerInstalled()) installCodeServer();
}

module.exports = { setup, codeServerEntry, codeServerInstalled, CODE_SERVER_VERSION, CHROMIUM, ROOT };

if (require.main === module) {
  try {
    setup({ forTests: process.argv.includes('--for-tests') });
  } catch (e) {
    console.error(`setup: ${e.message}`);
    process.exit(1);
  }
}
