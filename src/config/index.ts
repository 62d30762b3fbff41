export { configSchema, type Config, type IngestConfig, type IdentityConfig } from './schema.ts';
export { loadConfig, isCi, type ConfigOverrides } from './loader.ts';
