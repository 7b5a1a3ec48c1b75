package io.herald.platform;

import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Keeps webhooks from reaching Herald's own network: a URL whose host resolves to a loopback, private, link-local,
 * unspecified or cloud-metadata address is refused, when saved and again before every request (DNS can change),
 * unless the host or address is on {@code herald.delivery.allowed-hosts}.
 */
@Singleton
public class SsrfGuard {
    private final List<String> allowed;

    SsrfGuard(@org.eclipse.microprofile.config.inject.ConfigProperty(name = "herald.delivery.allowed-hosts")
              java.util.Optional<List<String>> allowedHosts) {
        this.allowed = allowedHosts.orElse(List.of()).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Null if the URL may be called, otherwise why not. */
    public String problem(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "is not a valid URL";
        }
        if (host == null) {
            return "must name a host";
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (allowed.contains(bare.toLowerCase(Locale.ROOT))) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return "host '" + bare + "' does not resolve";
        }
        for (InetAddress address : addresses) {
            if (allowed.contains(address.getHostAddress().toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (internal(address)) {
                return "resolves to " + address.getHostAddress() + ", an internal address; webhooks may only reach public "
                        + "addresses (an operator can allow a host with herald.delivery.allowed-hosts)";
            }
        }
        return null;
    }

    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 100 && second >= 64 && second < 128 // carrier-grade NAT
                    || first == 0
                    || first == 169 && second == 254; // link-local, cloud metadata (169.254.169.254)
        }
        // IPv6 unique local addresses fc00::/7, and IPv4-mapped internal ones
        return (bytes[0] & 0xfe) == 0xfc;
    }
}
