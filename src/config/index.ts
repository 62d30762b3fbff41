export { configSchema, type Config, type IngestConfig, type IdentityConfig, type AccessConfig } from './schema.ts';
export { loadConfig, isCi, type ConfigOverrides } from './loader.ts';
