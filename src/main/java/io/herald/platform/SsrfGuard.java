package io.herald.platform;

import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps webhooks from reaching Herald's own network. A URL is refused, when saved and again before every request (DNS
 * can change), if its host resolves to an address of this machine (any interface) or to one of the IANA special-purpose
 * ranges (loopback, private, shared, link-local and metadata, documentation, benchmarking, reserved, multicast,
 * broadcast; in IPv6 also IPv4-mapped, -compatible, NAT64 and 6to4 forms of those), unless the host or address is on
 * {@code herald.delivery.allowed-hosts}. A host written as an IPv4 number in any spelling but four decimal parts
 * ({@code 0177.0.0.1}, {@code 0x7f.1}, {@code 2130706433}) is refused too: resolvers disagree on what it means.
 */
@Singleton
public class SsrfGuard {
    /** IPv4 special-purpose ranges (IANA registry) a webhook has no business reaching. */
    private static final List<Cidr> SPECIAL_V4 = Cidr.all(
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.88.99.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "224.0.0.0/4",
            "240.0.0.0/4",
            "255.255.255.255/32");
    /** IPv6 special-purpose ranges; those that embed an IPv4 address are judged by it instead (see {@link #embeddedV4}). */
    private static final List<Cidr> SPECIAL_V6 = Cidr.all(
            "::/96",
            "64:ff9b:1::/48",
            "100::/64",
            "2001::/23",
            "2001:db8::/32",
            "3fff::/20",
            "5f00::/16",
            "fc00::/7",
            "fe80::/10",
            "fec0::/10",
            "ff00::/8");
    /** What inet_aton reads as an IPv4 address: one to four parts, each decimal, octal (0...) or hexadecimal (0x...). */
    private static final Pattern NUMERIC_HOST =
            Pattern.compile("(?i)((0x[0-9a-f]*|[0-9]+)\\.){0,3}(0x[0-9a-f]*|[0-9]+)\\.?");

    private static final Pattern CANONICAL_V4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}" + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private final Set<String> allowed;
    private volatile Set<InetAddress> ownAddresses;
    private volatile long ownAddressesRead;

    SsrfGuard(@ConfigProperty(name = "herald.delivery.allowed-hosts") Optional<List<String>> allowedHosts) {
        this.allowed = new HashSet<>();
        allowedHosts.orElse(List.of()).forEach(host -> allowed.add(host.toLowerCase(Locale.ROOT)));
    }

    /** Null if the URL may be called, otherwise why not. */
    public String problem(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "is not a valid URL";
        }
        String host = uri.getHost();
        if (host == null) {
            return "must name a host";
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (allowed.contains(bare.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (NUMERIC_HOST.matcher(bare).matches() && !CANONICAL_V4.matcher(bare).matches()) {
            return "host '" + bare
                    + "' is an IPv4 address in a non-standard spelling (octal, hexadecimal or fewer than four "
                    + "parts), which resolvers read differently; write it as four decimal numbers";
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
            if (internal(address) || ownAddresses().contains(address)) {
                return "resolves to " + address.getHostAddress()
                        + ", an address of this machine or of a special-purpose range; "
                        + "webhooks may only reach public addresses (an operator can allow a host with herald.delivery.allowed-hosts)";
            }
        }
        return null;
    }

    /** Whether the address is in a special-purpose range, directly or through an IPv4 address embedded in IPv6. */
    static boolean internal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return SPECIAL_V4.stream().anyMatch(range -> range.contains(bytes));
        }
        byte[] v4 = embeddedV4(bytes);
        if (v4 != null) {
            return SPECIAL_V4.stream().anyMatch(range -> range.contains(v4));
        }
        return SPECIAL_V6.stream().anyMatch(range -> range.contains(bytes));
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static byte[] embeddedV4(byte[] v6) {
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= v6[i] == 0;
        }
        boolean mapped = zeros80 && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
        boolean nat64 = v6[0] == 0
                && v6[1] == 0x64
                && v6[2] == (byte) 0xff
                && v6[3] == (byte) 0x9b
                && java.util.stream.IntStream.range(4, 12).allMatch(i -> v6[i] == 0);
        if (mapped || nat64) {
            return new byte[] {v6[12], v6[13], v6[14], v6[15]};
        }
        if (v6[0] == 0x20 && v6[1] == 0x02) {
            return new byte[] {v6[2], v6[3], v6[4], v6[5]};
        }
        return null;
    }

    /** Every address of this machine's interfaces, read again at most once a minute (interfaces come and go). */
    private Set<InetAddress> ownAddresses() {
        long now = System.nanoTime();
        Set<InetAddress> known = ownAddresses;
        if (known == null || now - ownAddressesRead > 60_000_000_000L) {
            Set<InetAddress> found = new HashSet<>();
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    found.addAll(Collections.list(nic.getInetAddresses()));
                }
            } catch (SocketException e) {
                // keep what was known: the special-purpose ranges still apply
                found = known == null ? Set.of() : known;
            }
            known = Set.copyOf(found);
            ownAddresses = known;
            ownAddressesRead = now;
        }
        return known;
    }

    /** An address range: network bytes and prefix length. */
    private record Cidr(byte[] network, int prefix) {
        static List<Cidr> all(String... ranges) {
            return java.util.Arrays.stream(ranges).map(Cidr::parse).toList();
        }

        static Cidr parse(String range) {
            String[] parts = range.split("/");
            try {
                return new Cidr(InetAddress.getByName(parts[0]).getAddress(), Integer.parseInt(parts[1]));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(range, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit += 8) {
                int bits = Math.min(8, prefix - bit);
                int mask = (0xff << (8 - bits)) & 0xff;
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
