/** Replaced by the browser build (sdk/scripts/build-browser.mjs) with the sdk package version. */
declare const __USPA_VERSION__: string;
