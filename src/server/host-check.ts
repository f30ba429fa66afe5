/**
 * The Host header check against DNS rebinding. A web page on attacker.example can make the victim's browser
 * resolve attacker.example to 127.0.0.1 and then talk to a loopback server "same-origin"; the one thing it cannot
 * change is the Host header, which still says attacker.example. So the server answers only requests whose Host is
 *
 *   - a loopback name: `localhost` or a name under `.localhost`,
 *   - an IP address literal (`127.0.0.1`, `[::1]`, `192.168.1.5`, ...): a rebinding attack needs a domain name,
 *     so an address is safe, and this keeps `--host 0.0.0.0` usable by address,
 *   - a name given with `--allow-host NAME` (repeatable; `--allow-host '*'` turns the check off),
 *
 * and answers 403 `host-not-allowed` to any other. A request without a Host header (HTTP/1.0) cannot come from a
 * browser and is allowed.
 */
import { isIP } from 'node:net';

export interface HostCheck {
  /** Null when the Host is acceptable, else the (lower-cased) host name that is not. */
  refused(hostHeader: string | undefined): string | null;
}

/** The host part of a Host header, lower-cased, without the port and the brackets of an IPv6 literal. */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end < 0 ? value : value.slice(1, end);
  }
  const colon = value.lastIndexOf(':');
  return (colon >= 0 ? value.slice(0, colon) : value).replace(/\.$/, '');
}

export function hostCheck(allowHosts: readonly string[] = []): HostCheck {
  const extra = new Set(allowHosts.map((h) => hostName(h)));
  const any = extra.has('*');
  return {
    refused(hostHeader) {
      if (any || hostHeader === undefined) return null;
      const name = hostName(hostHeader);
      if (name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0 || extra.has(name)) return null;
      return name;
    },
  };
}
