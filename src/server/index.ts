export { buildApp, type App, type AppDeps } from './app.ts';
export { startServer, type RunningServer, type StartOptions } from './runtime.ts';
export { readServerFile, type ServerFile, SERVER_FILE } from './server-file.ts';
