/** Validity limits, apart from certificate.ts so the Create form can check days without loading pkijs. */

/** Certificates start this long before "now", so a client whose clock is a little behind accepts them. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
export const DEFAULT_VALIDITY_DAYS = 365;
export const MAX_VALIDITY_DAYS = 3650;
/** One day, for validity lengths and days left. */
export const DAY_MS = 24 * 60 * 60 * 1000;
