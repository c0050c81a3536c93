/** The version of this USPA build; plugins declare the host versions they run on against it. */
export const USPA_VERSION = '0.1.0';
