import type { Endpoint } from './endpoint.js';

export const memberEndpoints: Endpoint[] = [];
