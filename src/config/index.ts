export { configSchema, type Config, type IngestConfig } from './schema.ts';
export { loadConfig, isCi, type ConfigOverrides } from './loader.ts';
