export * from './api.ts';
export { grown } from './engine/columns.ts';
export * from './engine/engine.ts';
export * from './engine/events.ts';
export * from './engine/ordered-queue.ts';
export * from './errors.ts';
export * from './pages.ts';
export * from './tickets.ts';
