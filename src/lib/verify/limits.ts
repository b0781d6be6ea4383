/** Size limits, apart from the parsers so the page can check a file's size without loading them. */

/** Files above this are refused before they are read: certificates are a few kilobytes. */
export const MAX_INPUT_BYTES = 1024 * 1024;
/** Files above this get the `large-file` warning. */
export const LARGE_INPUT_BYTES = 100 * 1024;
