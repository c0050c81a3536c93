#!/usr/bin/env -S node --no-node-snapshot --max-semi-space-size=64
// The `uspa` command. It lives in the repository rather than in dist/, so that `npm ci` links it
// into node_modules/.bin before anything is built; what it runs is built by `npm run build`.
// Its node flags are the ones `npm start` and the Docker image pass (see the README).
try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('main.js')) {
    process.stderr.write('uspa: not built yet: run `npm run build` first\n');
    process.exit(1);
  }
  throw error;
}
