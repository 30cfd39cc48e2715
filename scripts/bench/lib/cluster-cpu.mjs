// CPU time of a whole PostgreSQL cluster: the postmaster and every process under it (backends,
// checkpointer, WAL writer, autovacuum...). Backends come and go with connections, so a sum over the
// processes alive at one instant would lose the time of those that ended in between; the kernel adds
// a reaped child's time (and its own reaped children's) to its parent's cutime/cstime (proc(5)), so
// "own + reaped children" summed over the live tree only ever grows, and two readings subtract.
import fs from 'node:fs';

const CLK_TCK = 100; // Linux USER_HZ

/** {ppid, ms}: fields 4 and 14-17 of /proc/<pid>/stat, the name skipped (it may hold spaces and parentheses). */
function readStat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(') ') + 2).split(' ');
    // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    return { ppid: Number(f[1]), ms: (ticks * 1000) / CLK_TCK };
  } catch {
    return null; // ended between readdir and read
  }
}

/** The pids whose parent chain leads to `root` (root included), from one walk of /proc. */
export function processTree(root) {
  const parent = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(name);
    if (s) parent.set(Number(name), s.ppid);
  }
  const inTree = new Map([[root, true]]);
  const walk = (pid) => {
    if (inTree.has(pid)) return inTree.get(pid);
    inTree.set(pid, false); // guards against a cycle from pids reused mid-walk
    const p = parent.get(pid);
    const yes = p !== undefined && p > 1 && walk(p);
    inTree.set(pid, yes);
    return yes;
  };
  return [...parent.keys()].filter(walk);
}

/** CPU ms (user + system) the cluster under `postmasterPid` has used so far, ended processes included. */
export function clusterCpuMs(postmasterPid) {
  let ms = 0;
  for (const pid of processTree(postmasterPid)) ms += readStat(pid)?.ms ?? 0;
  return ms;
}
