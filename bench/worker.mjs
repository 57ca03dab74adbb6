// One client in one fresh process:  node bench/worker.mjs <client> <mode> <url> [calls] [warmup]
//   mode "throughput": warm up, then <calls> sequential GET / calls; prints wall and CPU time.
//   mode "cold":       <calls> concurrent GET / calls on a cold client; prints how many succeeded.
// Prints one JSON line on stdout.
import { CLIENTS } from './clients.mjs';

const [name, mode, url, callsArg, warmupArg] = process.argv.slice(2);
const spec = CLIENTS[name ?? ''];
if (!spec || !url)
  throw new Error('usage: worker.mjs <client> <throughput|cold> <url> [calls] [warmup]');
const key = process.env.BENCH_KEY ?? 'bench-key';
const secret = process.env.BENCH_SECRET ?? 'bench-secret';
const calls = Number(callsArg ?? 5000);
const warmup = Number(warmupArg ?? 500);

const client = await spec.create({ url, key, secret });
const check = (result) => {
  const links = client.links(result);
  if (!links?.self?.href)
    throw new Error(`${name}: unexpected GET / result ${JSON.stringify(result)}`);
};

if (mode === 'cold') {
  const results = await Promise.allSettled(Array.from({ length: calls }, () => client.call()));
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const firstError = results.find((r) => r.status === 'rejected');
  for (const r of results) if (r.status === 'fulfilled') check(r.value);
  console.log(
    JSON.stringify({ ok, calls, error: firstError ? String(firstError.reason) : undefined }),
  );
} else {
  for (let i = 0; i < warmup; i++) check(await client.call());
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let last;
  for (let i = 0; i < calls; i++) last = await client.call();
  const wallNs = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  check(last);
  console.log(
    JSON.stringify({
      calls,
      wallMs: wallNs / 1e6,
      callsPerSec: calls / (wallNs / 1e9),
      cpuUsPerCall: (cpu.user + cpu.system) / calls,
    }),
  );
}
// Keep-alive sockets and SDK timers must not decide when the measurement process ends.
process.exit(0);
