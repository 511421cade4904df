#!/usr/bin/env node
// Runs the built benchmarks (dist/bench) in a Node whose V8 worker pool has one thread per core.
// Node's default pool is 4 threads whatever the machine; on a 2-core machine its background work
// (compilation, GC helpers) then takes the main thread's core for a scheduler tick (about 4 ms) a
// dozen times a run, which was the code-set search's whole p99 (docs/decisions.md, Look-up).
// `--expose-gc`: benches start on a clean heap.
const { spawnSync } = require('child_process');
const os = require('os');
const path = require('path');

const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
const args = ['--expose-gc', `--v8-pool-size=${cores}`, path.join(__dirname, '..', 'dist', 'bench', 'index.js'), ...process.argv.slice(2)];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
