export * from './plugin/tracking-event.js';
export * from './plugin/define-plugin.js';
export * from './events/event-log.js';
export * from './events/streams.js';
