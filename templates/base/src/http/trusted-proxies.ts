import { BlockList, isIP } from 'node:net';
import { normalizeAddress } from './client-address.ts';

/** Express's `trust proxy` as a function: may the hop at `address`, `hop` steps in, be believed? */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * A matcher for TRUST_PROXY_FROM: addresses (`10.0.0.5`, `2001:db8::7`) and ranges (`10.0.0.0/8`,
 * `fc00::/7`), validated by the configuration. Addresses are normalized first, so a dual-stack socket's
 * `::ffff:10.0.0.5` and a proxy's `10.0.0.5:1111` match `10.0.0.0/8`; anything that is not an IP
 * address matches nothing.
 */
export function addressMatcher(ranges: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const range of ranges) {
    const [address = '', prefix] = range.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    const bare = normalizeAddress(address);
    const family = isIP(bare);
    return family !== 0 && list.check(bare, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * Believes at most `hops` entries of X-Forwarded-For, and each only when the address that handed it
 * over is one of the proxies' (`isProxy`, from TRUST_PROXY_FROM). A client that reaches the app directly, from an address outside
 * them, is its socket address whatever it writes in X-Forwarded-For.
 */
export function proxyTrust(hops: number, isProxy: (address: string) => boolean): ProxyTrust {
  return (address, hop) => hop < hops && isProxy(address);
}
