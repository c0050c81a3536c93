// tsyringe needs the Reflect metadata API before its decorators run; importing them from here
// guarantees the polyfill is loaded first wherever a class is decorated.
import 'reflect-metadata';

export { inject, injectable, singleton } from 'tsyringe';

/** The root container; only the composition root uses it. */
export { container } from 'tsyringe';
