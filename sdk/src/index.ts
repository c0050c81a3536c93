export * from './plugin/tracking-event.js';
export * from './plugin/define-plugin.js';
