/**
 * appcert's Content-Security-Policy, in one place: the build writes it into index.html as a meta
 * tag, `vite preview` sends it as a header, and the About screen shows it. The page may load and
 * talk to nothing but its own origin. `connect-src 'self'` is what the service worker needs to
 * fetch the app's own files into its cache when a host sends the policy as a header (the header
 * then governs the worker too); the page itself makes no requests.
 */
export const CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** For the meta tag. */
export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.join('; ');

/** The header a host should send: frame-ancestors works only as a header (browsers ignore it in a meta tag). */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;
