export { buildApp, registeredRoutes, type App, type AppDeps, type RegisteredRoute } from './app.ts';
export { ROUTE_ACCESS, routeAccess, type Access } from './permissions.ts';
export { startServer, type RunningServer, type StartOptions } from './runtime.ts';
export { readServerFile, type ServerFile, SERVER_FILE } from './server-file.ts';
