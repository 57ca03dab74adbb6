// npm run bench: build, then compare this client with Dwolla's SDKs and raw transports against
// one local Dwolla-like server (bench/server.mjs) running in its own process.
// Prints a table and writes bench/RESULTS.md. Not a test: nothing here runs in npm test or CI.
//
// Knobs (environment): BENCH_ROUNDS (default 5), BENCH_CALLS (5000), BENCH_WARMUP (500),
// BENCH_COLD (1000), BENCH_IMPORT_RUNS (15), BENCH_CLIENTS (comma list, default all).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import * as prettier from 'prettier';
import { CLIENTS, IMPORTS } from './clients.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');
const tmp = path.join(benchDir, '.tmp');
fs.rmSync(tmp, { recursive: true, force: true });
fs.mkdirSync(tmp, { recursive: true });

const env = process.env;
const ROUNDS = Number(env.BENCH_ROUNDS ?? 5);
const CALLS = Number(env.BENCH_CALLS ?? 5000);
const WARMUP = Number(env.BENCH_WARMUP ?? 500);
const COLD = Number(env.BENCH_COLD ?? 1000);
const IMPORT_RUNS = Number(env.BENCH_IMPORT_RUNS ?? 15);
const KEY = 'bench-key';
const SECRET = 'bench-secret';
const childEnv = { ...env, BENCH_KEY: KEY, BENCH_SECRET: SECRET };

const FLOOR = 'fetch';
/** The peer the default client must beat (issue 19): Dwolla's hand-written SDK. */
const PEER = 'dwolla-v2';
/** The reference the undici transport is measured against. */
const UNDICI = 'undici';
const loadBefore = os.loadavg();
const commit = (() => {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  const dirty = spawnSync(
    'git',
    ['status', '--porcelain', '--', 'src', 'package.json', 'tsup.config.ts'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return `${head.stdout.trim() || 'unknown'}${dirty.stdout.trim() ? ' (with uncommitted changes under src/)' : ''}`;
})();
let names = (env.BENCH_CLIENTS?.split(',') ?? Object.keys(CLIENTS)).filter((n) => n in CLIENTS);
if (!fs.existsSync(path.join(root, 'dist/index.js'))) {
  console.warn('dist/index.js missing (run npm run build): skipping dwolla-openapi-client rows');
  names = names.filter((n) => !n.startsWith('ours'));
}
if (!names.includes(FLOOR)) names.unshift(FLOOR);
if (names.some((n) => n.startsWith('ours')) && !names.includes(PEER)) names.push(PEER);

/** +3.2 or -1.7: a difference in ms with its sign. */
const signedMs = (ms) => (ms >= 0 ? '+' : '') + ms.toFixed(1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const log = (...args) => console.error(...args);

// ---------------------------------------------------------------------------------------------
// Server
const server = spawn(process.execPath, [path.join(benchDir, 'server.mjs')], {
  env: childEnv,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  let buf = '';
  server.stdout.on('data', (c) => {
    buf += c;
    if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]).url);
  });
  server.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
});
const stopServer = () => server.kill('SIGTERM');
process.on('exit', stopServer);
const serverCall = async (method, p) => (await fetch(`${url}${p}`, { method })).json();
log(`bench server at ${url} (pid ${server.pid})`);

function runNode(args, { timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: childEnv });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`node ${args.join(' ')} exited ${code}\n${err}${out}`));
    });
  });
}

const worker = async (name, mode, n, warmup = 0) => {
  const out = await runNode([path.join(benchDir, 'worker.mjs'), name, mode, url, n, warmup]);
  return JSON.parse(out.trim().split('\n').at(-1));
};

// ---------------------------------------------------------------------------------------------
// 1. Token requests made by a cold client for COLD concurrent calls.
const cold = {};
for (const name of names) {
  await serverCall('POST', '/__reset');
  const r = await worker(name, 'cold', COLD);
  const { tokens, connections } = await serverCall('GET', '/__stats');
  cold[name] = { tokens, connections, ok: r.ok, error: r.error };
  log(
    `cold      ${name.padEnd(15)} tokens=${tokens} ok=${r.ok}/${COLD}${r.error ? ' ' + r.error : ''}`,
  );
}

// 2. Warm throughput and CPU per call: ROUNDS rounds, a fresh process per client per round,
//    client order rotated every round.
const rounds = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r++) {
  const order = names.map((_, i) => names[(i + r) % names.length]);
  for (const name of order) {
    const res = await worker(name, 'throughput', CALLS, WARMUP);
    rounds[name].push(res);
    log(
      `round ${r + 1}/${ROUNDS} ${name.padEnd(15)} ${res.callsPerSec.toFixed(0).padStart(6)} calls/s ` +
        `${res.cpuUsPerCall.toFixed(1).padStart(6)} µs CPU/call`,
    );
  }
}

// 3. Cold import time: median of IMPORT_RUNS process runs, minus a bare node process.
const importFile = (name) => {
  const file = path.join(tmp, `import-${name}.mjs`);
  fs.writeFileSync(
    file,
    (IMPORTS[name] ?? []).map((s) => `import ${JSON.stringify(s)};\n`).join(''),
  );
  return file;
};
const importTargets = [
  ['(bare node)', importFile('bare')],
  ...names.map((n) => [n, importFile(n)]),
];
const importMs = Object.fromEntries(importTargets.map(([n]) => [n, []]));
for (let i = 0; i < IMPORT_RUNS; i++) {
  for (let j = 0; j < importTargets.length; j++) {
    const [name, file] = importTargets[(i + j) % importTargets.length];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [file], { cwd: root, env: childEnv });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`import ${name} failed: ${r.stderr}`);
    importMs[name].push(ms);
  }
}
const bareMs = median(importMs['(bare node)']);
const importOver = Object.fromEntries(names.map((n) => [n, median(importMs[n]) - bareMs]));
log(
  `import    bare node ${bareMs.toFixed(1)} ms; ` +
    names.map((n) => `${n} +${importOver[n].toFixed(1)}`).join(', '),
);

// 4. Minified bundle of a small program (get a token, GET /), and proof it runs.
const bundles = {};
for (const name of names) {
  const entry = path.join(benchDir, 'programs', `${name}.mjs`);
  const outfile = path.join(tmp, `bundle-${name}.mjs`);
  const commonJs = name === 'dwolla-v2' || name === 'undici';
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // CommonJS code that require()s Node built-ins needs a real require inside an ES module.
    banner: commonJs
      ? {
          js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
        }
      : undefined,
  });
  const bytes = fs.statSync(outfile).size;
  const gzip = gzipSync(fs.readFileSync(outfile)).length;
  await serverCall('POST', '/__reset');
  const r = spawnSync(process.execPath, [outfile], {
    cwd: tmp,
    env: { ...childEnv, BENCH_URL: url },
  });
  const stdout = String(r.stdout).trim();
  const { tokens, api } = await serverCall('GET', '/__stats');
  const runs = r.status === 0 && stdout.startsWith('ok 200') && tokens === 1 && api === 1;
  bundles[name] = { bytes, gzip, runs, output: stdout || String(r.stderr).trim().split('\n')[0] };
  log(
    `bundle    ${name.padEnd(15)} ${bytes} B (gzip ${gzip} B) runs=${runs}: ${bundles[name].output}`,
  );
}

stopServer();
const loadAfter = os.loadavg();

// ---------------------------------------------------------------------------------------------
// Report
const kb = (b) => (b / 1000).toFixed(1);
const med = Object.fromEntries(
  names.map((n) => [
    n,
    {
      callsPerSec: median(rounds[n].map((x) => x.callsPerSec)),
      cpuUsPerCall: median(rounds[n].map((x) => x.cpuUsPerCall)),
    },
  ]),
);
// Ratios: the median over rounds of (client ÷ another client in the same round). Rounds
// interleave the clients, so a per-round ratio cancels the load drift of a shared machine.
const pairwise = (n, to) =>
  rounds[to]
    ? {
        throughput: median(rounds[n].map((x, i) => x.callsPerSec / rounds[to][i].callsPerSec)),
        cpu: median(rounds[n].map((x, i) => x.cpuUsPerCall / rounds[to][i].cpuUsPerCall)),
      }
    : undefined;
const ratio = Object.fromEntries(names.map((n) => [n, pairwise(n, FLOOR)]));
const vsPeer = Object.fromEntries(names.map((n) => [n, pairwise(n, PEER)]));
const times = (r, field) => (r ? `${r[field].toFixed(2)}×` : '–');

const header = [
  'Client',
  `Token requests, ${COLD.toLocaleString('en-US')} cold concurrent calls`,
  'Warm calls/s',
  'Throughput × fetch',
  'Throughput × dwolla-v2',
  'CPU µs/call',
  'CPU/call × fetch',
  'CPU/call × dwolla-v2',
  'Cold import, ms over bare node',
  'Bundle, KB minified (gzip)',
  'Bundle runs',
];
const rows = names.map((n) => [
  CLIENTS[n].label,
  cold[n].ok === COLD ? String(cold[n].tokens) : `${cold[n].tokens} (${cold[n].ok} ok)`,
  med[n].callsPerSec.toFixed(0),
  times(ratio[n], 'throughput'),
  times(vsPeer[n], 'throughput'),
  med[n].cpuUsPerCall.toFixed(1),
  times(ratio[n], 'cpu'),
  times(vsPeer[n], 'cpu'),
  signedMs(importOver[n]),
  `${kb(bundles[n].bytes)} (${kb(bundles[n].gzip)})`,
  bundles[n].runs ? 'yes' : `NO: ${bundles[n].output}`,
]);
const table = [
  `| ${header.join(' | ')} |`,
  `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');

const targets = [];
for (const n of names.filter((x) => x.startsWith('ours'))) {
  const check = (label, ok, value) =>
    targets.push(`| ${CLIENTS[n].label} | ${label} | ${value} | ${ok ? 'met' : '**not met**'} |`);
  check(
    '1 token request per 1,000 cold calls',
    cold[n].tokens === 1 && cold[n].ok === COLD,
    `${cold[n].tokens}`,
  );
  if (n === 'ours' && vsPeer[n]) {
    // Issue 19: with no options and no optional peer, ahead of every peer.
    check(
      'throughput ≥ 1.0× dwolla-v2 (pairwise per round)',
      vsPeer[n].throughput >= 1,
      times(vsPeer[n], 'throughput'),
    );
    check(
      'CPU per call ≤ 1.0× dwolla-v2 (pairwise per round)',
      vsPeer[n].cpu <= 1,
      times(vsPeer[n], 'cpu'),
    );
    check('cold import ≤ +30 ms', importOver[n] <= 30, `${signedMs(importOver[n])} ms`);
    check(
      'bundle ≤ 30 KB minified, and runs',
      bundles[n].bytes <= 30_000 && bundles[n].runs,
      `${kb(bundles[n].bytes)} KB`,
    );
  }
  if (n === 'ours-undici' && rounds[UNDICI]) {
    const vs = pairwise(n, UNDICI);
    check(
      'throughput within 15 % of bare undici request()',
      vs.throughput >= 0.85,
      times(vs, 'throughput'),
    );
    check('CPU per call within 15 % of bare undici request()', vs.cpu <= 1.15, times(vs, 'cpu'));
  }
  if (n !== 'ours') check('bundle runs', bundles[n].runs, `${kb(bundles[n].bytes)} KB`);
}

const cpus = os.cpus();
const versions = Object.fromEntries(
  ['dwolla', 'dwolla-v2', 'esbuild'].map((p) => [
    p,
    JSON.parse(fs.readFileSync(path.join(root, 'node_modules', p, 'package.json'), 'utf8')).version,
  ]),
);
const ownVersion = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const perRound = names
  .map(
    (n) =>
      `| ${CLIENTS[n].label} | ${rounds[n].map((x) => x.callsPerSec.toFixed(0)).join(', ')} | ` +
      `${rounds[n].map((x) => x.cpuUsPerCall.toFixed(1)).join(', ')} | ` +
      `${importMs[n].map((x) => x.toFixed(0)).join(', ')} | ${cold[n].connections} |`,
  )
  .join('\n');

const md = `# Benchmark results

Generated by \`npm run bench\` (\`npm run build && node bench/run.mjs\`) on ${new Date().toISOString()}.

- Machine: ${cpus[0]?.model.trim()} × ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} (${os.arch()})
- Load average (1/5/15 min) at start ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, at end ${loadAfter.map((x) => x.toFixed(2)).join(' / ')} (the machine is shared; figures are medians for that reason)
- Code: commit ${commit}
- Node ${process.version}; dwolla-openapi-client ${ownVersion} (built \`dist/\`, imported by its package name), dwolla ${versions.dwolla}, dwolla-v2 ${versions['dwolla-v2']}, esbuild ${versions.esbuild}
- Server: \`bench/server.mjs\`, a minimal \`node:http\` Dwolla-like server (\`POST /token\`, bearer-checked \`GET /\` HAL root) in its own process on 127.0.0.1, keep-alive.
- Each client is pointed at it through its own options: this client \`baseUrl\`; dwolla \`serverURL\` + \`security.tokenURL\`; dwolla-v2 \`tokenUrl\` and \`apiUrl\` set on the client instance.
- This client's rows: the default (no options, no optional peer: on Node its default transport drives Node's built-in dispatcher, \`src/transport/default-transport.ts\`), then each transport adapter: \`fetch: globalThis.fetch\` (the fetch adapter) and \`transport: createUndiciTransport()\` (undici, an optional peer).

${table}

How each column is measured (\`bench/worker.mjs\`, one fresh \`node\` process per measurement):

- **Token requests**: a cold client makes ${COLD.toLocaleString('en-US')} concurrent \`GET /\` calls; the server counts \`POST /token\` requests.
- **Warm calls/s, CPU µs/call**: ${WARMUP} warm-up calls, then ${CALLS.toLocaleString('en-US')} sequential \`GET /\` calls; wall time and \`process.cpuUsage()\` (user + system, client process only). Median of ${ROUNDS} rounds, each round a fresh process per client, client order rotated each round. Ratios (× fetch, × dwolla-v2) are the median over rounds of the client's figure ÷ that client's in the same round, which cancels the load drift of a shared machine.
- **Cold import**: wall time of \`node file.mjs\` where the file only imports the client's entry point(s) (\`dwolla-openapi-client\`, plus \`dwolla-openapi-client/transport\` for the \`createUndiciTransport()\` row; \`dwolla\`; \`dwolla-v2\`; \`node:http\`; \`undici\`; nothing for raw fetch, a global), median of ${IMPORT_RUNS} runs, minus the median of an empty file (${bareMs.toFixed(1)} ms).
- **Bundle**: \`esbuild --bundle --minify --platform=node --format=esm --target=node20\` of \`bench/programs/<client>.mjs\`, a program that gets a token and calls \`GET /\` (1 KB = 1,000 bytes). "Runs" means the bundle, run alone from a directory without \`node_modules\`, printed the root's self link and the server saw exactly 1 token request and 1 API call. The dwolla-v2 and undici bundles (CommonJS) get the usual \`createRequire\` banner so their \`require()\` of Node built-ins works in an ES module. The \`createUndiciTransport()\` bundle does not hold undici: the transport loads its optional peer with \`require\` at run time, from the repository's \`node_modules\` here (the bare undici row bundles it).

## Targets (this client)

| Variant | Target | Measured | |
| --- | --- | ---: | --- |
${targets.join('\n')}

## Raw figures

| Client | calls/s per round | CPU µs/call per round | import runs, ms (bare node median ${bareMs.toFixed(1)}) | connections opened for the ${COLD.toLocaleString('en-US')} cold calls |
| --- | --- | --- | --- | ---: |
${perRound}
`;

const resultsFile = path.join(benchDir, 'RESULTS.md');
// Formatted as the repository's prettier --check expects.
const prettierOptions = (await prettier.resolveConfig(resultsFile)) ?? {};
fs.writeFileSync(
  resultsFile,
  await prettier.format(md, { ...prettierOptions, filepath: resultsFile }),
);
console.log(table);
console.log();
console.log(
  ['| Variant | Target | Measured | |', '| --- | --- | ---: | --- |', ...targets].join('\n'),
);
console.log('\nwritten to bench/RESULTS.md');
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
