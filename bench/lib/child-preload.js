'use strict';
/**
 * Preloaded (`node -r`) into the benchmarked server child's main thread only; never part of the service.
 *  1. SIGUSR2 → process.exit(0): a clean exit, so `--cpu-prof` writes its profile (a SIGTERM goes
 *     through Nest's shutdown hooks, which re-raise the signal and the profile would be lost).
 *  2. Until app.module.ts registers `...benchControllers()` (the 2-line change asked for in issue #7),
 *     add the no-op baseline controller to AppModule.forRoot here, when BENCH_NOOP_ROUTE=1. Once the
 *     change is in, this does nothing. BENCH_NOOP_VIA tells the parent which way the route came.
 */
const { join } = require('node:path');
const { isMainThread } = require('node:worker_threads');

// `-r` is inherited by the service's worker threads (log writer, projections, what-if): loading the app there
// cost each thread 40–55 MB and counted in every RSS figure the benchmark reported. The main thread only.
if (!isMainThread) return;

process.on('SIGUSR2', () => process.exit(0));

if (process.env.BENCH_NOOP_ROUTE === '1') {
  const dist = join(__dirname, '..', '..', 'dist');
  const { AppModule } = require(join(dist, 'app.module.js'));
  const { BenchNoopController } = require(join(dist, 'bench', 'noop.controller.js'));
  const forRoot = AppModule.forRoot;
  AppModule.forRoot = function patchedForRoot(deps) {
    const mod = forRoot.call(this, deps);
    const controllers = mod.controllers ?? [];
    if (!controllers.includes(BenchNoopController)) {
      mod.controllers = [...controllers, BenchNoopController];
      process.stderr.write('bench-preload: noop route added by bench/lib/child-preload.js (app.module.ts change not applied yet)\n');
    }
    return mod;
  };
}
