import type { Endpoint } from './endpoint.js';

export const secretEndpoints: Endpoint[] = [];
