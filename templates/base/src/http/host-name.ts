import { isIP } from 'node:net';

/** What may follow the host in a `Host` header: nothing, or a port (RFC 3986 allows an empty one). */
const PORT = /^$|^:\d{0,5}$/;

/** One label of a name; underscores too, which container networks allow in service names. */
const LABEL = /^[a-z0-9_-]+$/;

/**
 * The host a `Host` header (`uri-host [ ":" port ]`, RFC 9110, section 7.2) names, in the one form
 * ALLOWED_HOSTS is compared in: without its port, in lower case, without a final dot (`Example.COM.:443`
 * is `example.com`), an IPv6 address in brackets and compressed (`[0:0:0:0:0:0:0:1]` is `[::1]`).
 * Undefined for anything else: a user name (`a@b`), a path, two ports, an empty label.
 */
export function hostNameOf(value: string): string | undefined {
  const bracketed = value.startsWith('[');
  const colon = value.indexOf(':');
  const end = bracketed ? value.indexOf(']') + 1 : colon === -1 ? value.length : colon;
  if (!PORT.test(value.slice(end))) return undefined;
  const name = value.slice(0, end);
  if (bracketed) return isIP(name.slice(1, -1)) === 6 ? compressedIpv6(name) : undefined;
  const lower = name.toLowerCase().replace(/\.$/, '');
  return lower.split('.').every((label) => LABEL.test(label)) ? lower : undefined;
}

/** `[0:0:0:0:0:0:0:1]` as `[::1]`; undefined for an address with a zone (`[fe80::1%eth0]`), which no URL names. */
function compressedIpv6(bracketed: string): string | undefined {
  try {
    return new URL(`http://${bracketed}`).hostname;
  } catch {
    return undefined;
  }
}
