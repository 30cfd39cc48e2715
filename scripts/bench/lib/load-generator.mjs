// The load generator, in a process of its own: the orchestrator does not compete with it for the
// event loop, and the CPU time it reports is its own. Driven over IPC so that no
// credential (the Basic header, a token) ever appears on a command line.
//
//   parent -> {cmd:'run', opts}   child -> {result}   (opts are autocannon's, bounded by duration or amount;
//   result.cpuMs is the CPU this process used during the run)
//
// opts.headersByConnection (a list of header sets): connection i sends set i % n, so that the load
// can come from several clients at once (autocannon's setupClient runs once per connection, in order).
import autocannon from 'autocannon';

function run({ headersByConnection, ...opts }) {
  let next = 0;
  const perConnection = headersByConnection?.length
    ? { setupClient: (client) => client.setHeaders(headersByConnection[next++ % headersByConnection.length]) }
    : {};
  return new Promise((resolve, reject) => {
    autocannon({ pipelining: 1, timeout: 10, ...opts, ...perConnection }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** The count of each status that is not 2xx, e.g. {429: 48}. */
const otherStatuses = (stats = {}) =>
  Object.fromEntries(
    Object.entries(stats)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, s]) => [code, s.count]),
  );

process.on('message', async (msg) => {
  if (msg?.cmd === 'exit') return process.disconnect();
  if (msg?.cmd !== 'run') return;
  try {
    const cpu = process.cpuUsage();
    const r = await run(msg.opts);
    const used = process.cpuUsage(cpu);
    process.send({
      result: {
        total: r.requests.total,
        average: r.requests.average,
        duration_s: r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        ok: r['2xx'],
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
        statuses: otherStatuses(r.statusCodeStats),
        cpuMs: (used.user + used.system) / 1000,
      },
    });
  } catch (err) {
    process.send({ error: err instanceof Error ? err.message : String(err) });
  }
});
process.send({ ready: true });
