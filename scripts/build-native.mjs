#!/usr/bin/env node
/* global process, console */
// Builds the optional OpenBLAS GEMM addon (native/blas_gemm.c) to build/medrex_blas.node, offline: node-gyp
// (npm's bundled copy) compiles against Node's own headers (--nodedir), so nothing is downloaded.
//
// The addon is optional: the WebAssembly kernels run everywhere. So when OpenBLAS's headers or library, Node's
// headers, node-gyp or a C toolchain are missing, this prints ONE line saying what is missing and exits 0. When
// everything is there but the compile fails, it prints the error and still exits 0, unless MEDREX_REQUIRE_BLAS=1
// (CI sets it: there a silently missing backend would let its tests skip unnoticed). MEDREX_BLAS=off skips.
//
// Usage: node scripts/build-native.mjs [--force]   (without --force an up-to-date addon is not rebuilt)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const output = join(root, 'build', 'medrex_blas.node');
const stamp = join(root, 'build', 'medrex_blas.json');
const required = process.env.MEDREX_REQUIRE_BLAS === '1';

/** Ends without an addon: a stale one from an earlier build must not be loaded as if it matched this machine. */
function skip(reason) {
  rmSync(output, { force: true });
  rmSync(stamp, { force: true });
  if (required) {
    console.error(`build-native: MEDREX_REQUIRE_BLAS=1 but the OpenBLAS addon cannot be built: ${reason}`);
    process.exit(1);
  }
  console.log(`build-native: skipped the optional OpenBLAS GEMM addon (${reason}); the WebAssembly kernels are used`);
  process.exit(0);
}

const isDir = (p) => existsSync(p) && statSync(p).isDirectory();
const subdirs = (p) => (isDir(p) ? readdirSync(p).map((name) => join(p, name)).filter(isDir) : []);

/** An OpenBLAS cblas.h (it declares openblas_set_num_threads; another vendor's cblas.h would not link). */
function findOpenBlasInclude() {
  const candidates = [];
  for (const base of ['/usr/include', '/usr/local/include']) {
    // Debian/Ubuntu: /usr/include/<triplet>/openblas-{pthread,openmp,serial}/ and /usr/include/<triplet>/cblas.h
    for (const triplet of subdirs(base).filter((d) => /-linux-|-gnu/.test(d))) {
      candidates.push(...subdirs(triplet).filter((d) => /openblas/.test(d)), triplet);
    }
    candidates.push(join(base, 'openblas'), base); // Fedora / Alpine / source installs
  }
  if (process.env.OPENBLAS_INCLUDE) candidates.unshift(process.env.OPENBLAS_INCLUDE);
  return candidates.find((dir) => {
    const header = join(dir, 'cblas.h');
    return existsSync(header) && readFileSync(header, 'utf8').includes('openblas_set_num_threads');
  });
}

function findOpenBlasLibDir() {
  const candidates = [];
  for (const base of ['/usr/lib', '/usr/lib64', '/usr/local/lib']) {
    candidates.push(base, ...subdirs(base)); // subdirs: /usr/lib/<triplet>
  }
  if (process.env.OPENBLAS_LIBDIR) candidates.unshift(process.env.OPENBLAS_LIBDIR);
  return candidates.find((dir) => existsSync(join(dir, 'libopenblas.so')) || existsSync(join(dir, 'libopenblas.dylib')));
}

/** Node's own headers: <prefix>/include/node/node_api.h next to the running binary (distro and tarball layouts). */
function findNodeDir() {
  const candidates = [resolve(dirname(process.execPath), '..'), process.config.variables?.node_prefix].filter(Boolean);
  return candidates.find((dir) => existsSync(join(dir, 'include', 'node', 'node_api.h')) &&
    existsSync(join(dir, 'include', 'node', 'common.gypi')));
}

/** node-gyp: the one npm tells lifecycle scripts about, a local install, or the copy bundled inside npm. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((file) => file && existsSync(file));
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

if (process.env.MEDREX_BLAS === 'off') skip('MEDREX_BLAS=off');
if (process.platform === 'win32') skip('native build not supported on Windows');
const include = findOpenBlasInclude();
if (!include) skip('no OpenBLAS cblas.h found; on Debian: apt-get install libopenblas-dev');
const libDir = findOpenBlasLibDir();
if (!libDir) skip('no libopenblas.so found; on Debian: apt-get install libopenblas-dev');
const nodeDir = findNodeDir();
if (!nodeDir) skip(`Node's headers (include/node/node_api.h) not found next to ${process.execPath}`);
const nodeGyp = findNodeGyp();
if (!nodeGyp) skip('node-gyp not found (it ships with npm)');
const missingTools = ['make', process.env.CC ?? 'cc', 'python3'].filter((tool) => !onPath(tool));
if (missingTools.length > 0) skip(`missing build tools: ${missingTools.join(', ')} (on Debian: apt-get install python3 make g++)`);

// Up to date: built from the same sources against the same OpenBLAS.
const settings = { include, libDir, nodeDir };
const inputs = [join(nativeDir, 'blas_gemm.c'), join(nativeDir, 'binding.gyp'), fileURLToPath(import.meta.url)];
if (!process.argv.includes('--force') && existsSync(output) && existsSync(stamp)) {
  const builtAt = statSync(output).mtimeMs;
  const same = readFileSync(stamp, 'utf8') === JSON.stringify(settings);
  if (same && inputs.every((file) => statSync(file).mtimeMs <= builtAt)) {
    console.log(`build-native: ${output} is up to date`);
    process.exit(0);
  }
}

const args = [
  nodeGyp, 'rebuild', '--release', '--loglevel=warn', `--nodedir=${nodeDir}`,
  `--openblas_include=${include}`, `--openblas_libdir=${libDir}`,
];
const result = spawnSync(process.execPath, args, { cwd: nativeDir, encoding: 'utf8', env: { ...process.env } });
const built = join(nativeDir, 'build', 'Release', 'medrex_blas.node');
if (result.status !== 0 || !existsSync(built)) {
  const log = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`.trim();
  rmSync(output, { force: true });
  rmSync(stamp, { force: true });
  console.error(log);
  const message = `build-native: building the OpenBLAS GEMM addon failed (node-gyp exit ${result.status}; output above)`;
  if (required) {
    console.error(message);
    process.exit(1);
  }
  console.warn(`${message}; continuing with the WebAssembly kernels only`);
  process.exit(0);
}
mkdirSync(dirname(output), { recursive: true });
copyFileSync(built, output);
writeFileSync(stamp, JSON.stringify(settings));
console.log(`wrote ${output} (OpenBLAS from ${include}, ${libDir})`);
