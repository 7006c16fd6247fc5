// The store thread's entry when hookd runs from its TypeScript source (vitest, tsx): loads thread-worker.ts through
// tsx, so the thread runs the code a test sees. Never built into dist/, where thread-worker.js is the entry.
import { register } from 'tsx/esm/api';

register();
await import('./thread-worker.ts');
