/** An aria-describedby value from the ids that apply now (hint, error, note…); undefined when none do. */
export const describedBy = (...ids: (string | false | null | undefined)[]): string | undefined =>
  ids.filter(Boolean).join(' ') || undefined;
