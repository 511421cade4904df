// Shared by the integration runner, the end-to-end tests and `npm start`: a real VS Code (code-server,
// installed by scripts/setup.js) on a loopback port, driven by Debian's Chromium through playwright-core.
// See docs/testing.md for why each piece is the way it is.
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { codeServerEntry, codeServerInstalled, CHROMIUM, ROOT } = require('../../scripts/setup');

const HOST = '127.0.0.1';
const RESULTS_DIR = path.join(ROOT, 'test-results');
const SAMPLE_PACK = path.join(ROOT, 'practice', 'sample');

// Without the background-networking flags Chromium keeps dialling Google on a closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

// No dialogs, tips or welcome pages between a test and the workbench.
const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

/** A port nobody listens on now (the OS picks it), or `preferred` when that one is free. */
async function freePort(preferred = 0) {
  const listen = (port) =>
    new Promise((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, HOST, () => {
        const { port: chosen } = server.address();
        server.close(() => resolve(chosen));
      });
    });
  if (preferred) {
    try {
      return await listen(preferred);
    } catch {
      // taken: fall through to any free port
    }
  }
  return listen(0);
}

/** A scratch folder under the OS temp dir; removed by stop() of whatever uses it. */
function tempDir(label) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `casebook-${label}-`));
}

/**
 * A scratch copy of practice/sample (without learner data) under `parent`, so tests may write
 * .casebook/ and break files freely. When the sample pack is not there yet, a minimal pack stands in.
 */
function scratchWorkspace(parent, source = SAMPLE_PACK) {
  const workspace = path.join(parent, path.basename(source));
  if (fs.existsSync(path.join(source, 'casebook.json'))) {
    fs.cpSync(source, workspace, {
      recursive: true,
      filter: (from) => path.basename(from) !== '.casebook',
    });
  } else {
    writeMinimalPack(workspace);
  }
  return workspace;
}

function writeMinimalPack(dir) {
  const files = {
    'casebook.json': JSON.stringify({ format: 1, id: 'sample', title: 'Sample Pack', version: '0.0.0' }, null, 2) + '\n',
    'cases/chest-pain-01.md': [
      '---',
      'id: chest-pain-01',
      'title: Chest pain at rest',
      'setting: outpatient',
      '---',
      'CHIEF COMPLAINT: Chest pain for two days.',
      '',
      'ASSESSMENT: Chest pain, unspecified.',
      '',
    ].join('\n'),
    'keys/chest-pain-01.md': [
      '---',
      'case: chest-pain-01',
      'diagnoses:',
      '  - code: R07.9',
      '    evidence: ["chest pain"]',
      '---',
      'Chest pain without a documented cause.',
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

function writeUserSettings(userDataDir, extra = {}) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...USER_SETTINGS, ...extra }, null, 2) + '\n');
}

function healthy(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: HOST, port, path: '/healthz', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

// code-servers still running if this process ends abruptly (a thrown error, process.exit).
const running = new Set();
process.on('exit', () => {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
});

// A runner that may have to kill this process (the e2e runner on a hang) finds its code-servers here.
function registerPid(pid, add) {
  const dir = process.env.CASEBOOK_PID_DIR;
  if (!dir) return;
  const file = path.join(dir, String(pid));
  if (add) fs.writeFileSync(file, '');
  else fs.rmSync(file, { force: true });
}

/** Kills the process groups of code-servers that a killed child process left in `dir` (see registerPid). */
function killRegistered(dir) {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    if (/^\d+$/.test(name)) signalGroup(Number(name), 'SIGKILL');
  }
}

/**
 * Starts code-server on `folder`. Its state (user data, extensions, config, XDG dirs) goes under
 * `stateDir` (a fresh temp dir, removed on stop, unless given). `env` reaches the extension host.
 * Returns { host, port, origin, pid, logFile, stateDir, exited, done, stop({ keepLogAs }) }.
 */
async function startCodeServer({ folder, env = {}, port = 0, stateDir, settings = {}, label = 'code-server' } = {}) {
  if (!codeServerInstalled()) {
    throw new Error('code-server is not installed: run `node scripts/setup.js --for-tests` first');
  }
  const ownsState = !stateDir;
  const state = stateDir || tempDir(label);
  const dirs = {
    userData: path.join(state, 'user-data'),
    extensions: path.join(state, 'extensions'),
    xdgData: path.join(state, 'xdg', 'data'),
    xdgConfig: path.join(state, 'xdg', 'config'),
    xdgCache: path.join(state, 'xdg', 'cache'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  writeUserSettings(dirs.userData, settings);
  const chosenPort = await freePort(port);
  const logFile = path.join(state, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  const args = [
    codeServerEntry(),
    '--bind-addr',
    `${HOST}:${chosenPort}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--ignore-last-opened',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--config',
    path.join(state, 'config.yaml'), // otherwise it writes ~/.config/code-server/config.yaml
    folder,
  ];
  // Detached: its own process group, so stop() reaches the extension host and watchers too.
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      XDG_DATA_HOME: dirs.xdgData,
      XDG_CONFIG_HOME: dirs.xdgConfig,
      XDG_CACHE_HOME: dirs.xdgCache,
      // No extension marketplace: it cannot be reached offline, and tests must not depend on it.
      EXTENSIONS_GALLERY: '{}',
      ...env,
    },
  });
  fs.closeSync(log);
  running.add(child.pid);
  registerPid(child.pid, true);
  let exited = null;
  const done = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exited = signal || code;
      resolve(exited);
    }),
  );

  const server = {
    host: HOST,
    port: chosenPort,
    origin: `http://${HOST}:${chosenPort}`,
    pid: child.pid,
    logFile,
    stateDir: state,
    get exited() {
      return exited;
    },
    /** Resolves with the exit code (or signal) when the code-server process ends. */
    done,
    /** Stops the whole process group; keepLogAs copies the log into test-results/ first. */
    async stop({ keepLogAs } = {}) {
      signalGroup(child.pid, 'SIGTERM');
      const deadline = Date.now() + 5000;
      while (groupAlive(child.pid) && Date.now() < deadline) await sleep(100);
      if (groupAlive(child.pid)) signalGroup(child.pid, 'SIGKILL');
      while (groupAlive(child.pid) && Date.now() < deadline + 2000) await sleep(50);
      running.delete(child.pid);
      registerPid(child.pid, false);
      if (keepLogAs) keepLogs(state, keepLogAs);
      if (ownsState) fs.rmSync(state, { recursive: true, force: true, maxRetries: 3 });
    },
  };

  const deadline = Date.now() + 60_000;
  while (!(await healthy(chosenPort))) {
    if (exited !== null || Date.now() > deadline) {
      await server.stop({ keepLogAs: label });
      throw new Error(
        `code-server ${exited !== null ? `exited (${exited})` : 'did not answer /healthz in 60 s'}; ` +
          `log kept in ${path.relative(ROOT, RESULTS_DIR)}/${label}-code-server.log:\n${tail(logFile)}`,
      );
    }
    await sleep(100);
  }
  return server;
}

/** Copies code-server's log and the workbench's own logs (extension host, renderer) into test-results/. */
function keepLogs(stateDir, name) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const log = path.join(stateDir, 'code-server.log');
  if (fs.existsSync(log)) fs.copyFileSync(log, path.join(RESULTS_DIR, `${name}-code-server.log`));
  const vscodeLogs = path.join(stateDir, 'user-data', 'logs');
  if (fs.existsSync(vscodeLogs)) {
    fs.cpSync(vscodeLogs, path.join(RESULTS_DIR, `${name}-vscode-logs`), { recursive: true });
  }
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * The workbench URL of `folder`. The payload URIs must be vscode-remote:// with the page's own
 * host:port; file:// URIs are silently ignored and the run hangs.
 */
function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://${server.host}:${server.port}${path.resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  let url = `${server.origin}/?folder=${encodeURIComponent(path.resolve(folder))}`;
  if (payload.length > 0) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Headless Debian Chromium (never a downloaded browser). Its profile and XDG dirs stay under stateDir. */
async function launchBrowser(stateDir) {
  const { chromium } = require('playwright-core');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run \`node scripts/setup.js --for-tests\``);
  const xdg = path.join(stateDir, 'browser-xdg');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    // Our runners handle signals themselves: they stop code-server too, and keep its logs.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(xdg, 'config'),
      XDG_CACHE_HOME: path.join(xdg, 'cache'),
      XDG_DATA_HOME: path.join(xdg, 'data'),
    },
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = {
  HOST,
  ROOT,
  RESULTS_DIR,
  SAMPLE_PACK,
  freePort,
  tempDir,
  scratchWorkspace,
  startCodeServer,
  workbenchUrl,
  launchBrowser,
  keepLogs,
  killRegistered,
  sleep,
};
