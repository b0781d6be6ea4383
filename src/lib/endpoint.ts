import { failure, success, type Result } from './plain/result';

/** The DSM mutual-TLS endpoint as it goes into `https://<host>/sys/v1/session/auth`. */
export interface Endpoint {
  /** Host name or IPv4 address, with `:port` when one was given; only characters safe in a shell word. */
  host: string;
  /** True when the host was taken out of a pasted address (scheme, path or query dropped). */
  fromUrl: boolean;
}

export type EndpointCode = 'endpoint-not-https' | 'endpoint-has-login' | 'endpoint-bad-host';

const EXAMPLE = 'apps.sdkmsdev.uk.myorg.com';
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

/**
 * Reads the endpoint field: a host name (e.g. apps.sdkmsdev.uk.myorg.com, Fortanix's mutual-TLS
 * guide, section 2.1), `host:port`, or a pasted https address, of which the host and port are kept.
 * Empty text is `null` (the command then shows a placeholder). Anything that could not go into a
 * shell command as one plain word is refused, saying what to type.
 */
export function readEndpoint(text: string): Result<Endpoint | null, EndpointCode> {
  let rest = text.trim();
  if (rest === '') return success(null);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (scheme && scheme[1].toLowerCase() !== 'https') {
    return failure(
      'endpoint-not-https',
      `DSM's mutual-TLS endpoint is reached over https: type its host name, e.g. ${EXAMPLE}, or paste its https:// address.`,
    );
  }
  if (scheme) rest = rest.slice(scheme[0].length);
  const authority = rest.split(/[/?#]/, 1)[0];
  if (authority.includes('@')) {
    return failure(
      'endpoint-has-login',
      `Leave out the user name before "@": the certificate is the login. Type only the host name, e.g. ${EXAMPLE}.`,
    );
  }
  const [, host, port] = /^(.*?)(?::(\d{1,5}))?$/.exec(authority) ?? [];
  if (!HOST.test(host) || host.length > 253 || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    return failure(
      'endpoint-bad-host',
      `Type the host name of the mutual-TLS endpoint (and :port if not 443), e.g. ${EXAMPLE}, or paste its https:// address.`,
    );
  }
  return success({ host: port === undefined ? host : `${host}:${port}`, fromUrl: authority !== rest || scheme !== null });
}

/** The host[:port] to use for the text, or null when it is empty or not usable. */
export function endpointHost(text: string | undefined): string | null {
  const endpoint = readEndpoint(text ?? '');
  return endpoint.ok && endpoint.value ? endpoint.value.host : null;
}
