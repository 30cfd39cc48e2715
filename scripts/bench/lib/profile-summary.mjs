// Reads a V8 .cpuprofile: self time per function and per package or source file, and inclusive
// time per function (what a call and everything under it cost).
import path from 'node:path';

function where(url) {
  if (!url) return '(native)';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  const dist = /apps\/server\/dist\/(.*)$/.exec(url);
  return dist ? `tessera:${dist[1]}` : path.basename(url);
}

export function summarizeProfile(profile, top = 40) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fnSelf = new Map();
  const fileSelf = new Map();
  const fnTotal = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id);
    const f = n.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${where(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    fnSelf.set(name, (fnSelf.get(name) ?? 0) + us);
    fileSelf.set(where(f.url), (fileSelf.get(where(f.url)) ?? 0) + us);
    // Inclusive: every distinct function on the stack gets the sample once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const c = byId.get(cur).callFrame;
      const key = `${c.functionName || '(anonymous)'} ${where(c.url)}${c.url ? `:${c.lineNumber + 1}` : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fnTotal.set(key, (fnTotal.get(key) ?? 0) + us);
    }
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const list = (m, n) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${pct(us)}  ${k}`)
      .join('\n');
  return [
    `total sampled: ${(total / 1000).toFixed(0)} ms`,
    '\nself time by package or file:',
    list(fileSelf, 25),
    '\nself time by function:',
    list(fnSelf, top),
    '\ninclusive time by function:',
    list(fnTotal, top),
  ].join('\n');
}
