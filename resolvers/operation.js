/**
 * Stands for the operation a shared function runs, so the stages lint and load on their
 * own. codegen/bundle.py replaces the import of this module with the operation's source
 * (get.js, list.js, ..., subscribe.js, fieldRead.js): one bundle per operation kind.
 */
export { finish, prepare } from './get.js';
export { decide } from './subscribe.js';
export { merge, resolveConflict } from './update.js';
