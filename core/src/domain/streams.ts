/** Stream naming lives in the SDK, shared with the read side and plugins: one module, one meaning. */
export { STREAM_PREFIX, streamOf } from '@uspa/sdk';
