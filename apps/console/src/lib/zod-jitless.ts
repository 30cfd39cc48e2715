import { config } from 'zod';

// zod 4 probes once whether it may compile its parsers with `new Function`. The console's CSP
// (script-src 'self', no 'unsafe-eval') refuses that, and although zod catches the error, the
// browser still reports a script-src violation on every page load, which would drown a real
// one. jitless skips the probe and the compiling; the parsers work the same. `config` alone (not
// the `z` namespace), so the sign-in page does not download zod's schemas to set it.
config({ jitless: true });
