// Worker threads do not inherit the TypeScript loader registered by the CLI: register it here.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
