export { RedisBackplane, type RedisBackplaneOptions } from './redis-backplane.js';
export type { BackplaneStats } from './backplane-context.js';
