import type { Endpoint } from './endpoint.js';

export const userEndpoints: Endpoint[] = [];
