import type { AppContext } from '../context.js';
import { SlowDown } from './errors.js';

/** A refusal by the client-authentication throttle (429 slow_down), counted for the metrics. */
export function throttled(ctx: AppContext, seconds: number): SlowDown {
  ctx.metrics.throttled('client');
  return new SlowDown(seconds);
}
