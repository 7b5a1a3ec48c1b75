package io.herald.platform;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which webhook targets the guard refuses, in the spellings an attacker would try. */
class SsrfGuardTest {
    private final SsrfGuard guard = new SsrfGuard(Optional.of(List.of("allowed.example")));

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1/",
                "http://localhost/",
                "http://[::1]/",
                "http://[::127.0.0.1]/",
                "http://[::ffff:127.0.0.1]/",
                "http://[64:ff9b::7f00:1]/",
                "http://[64:ff9b::a00:1]/",
                "http://[2002:7f00:1::]/",
                "http://0177.0.0.1/",
                "http://0x7f.0.0.1/",
                "http://2130706433/",
                "http://127.1/",
                "http://017700000001/",
                "http://10.1.2.3/",
                "http://172.16.0.1/",
                "http://192.168.1.1/",
                "http://100.64.0.1/",
                "http://169.254.169.254/",
                "http://0.0.0.0/",
                "http://192.0.0.8/",
                "http://192.0.2.1/",
                "http://198.18.0.1/",
                "http://198.19.255.255/",
                "http://198.51.100.7/",
                "http://203.0.113.9/",
                "http://224.0.0.1/",
                "http://240.0.0.1/",
                "http://255.255.255.255/",
                "http://[fc00::1]/",
                "http://[fd00::2]/",
                "http://[fe80::1]/",
                "http://[fec0::1]/",
                "http://[ff02::1]/",
                "http://[2001:db8::1]/",
                "http://[2001::1]/",
                "http://[100::1]/",
                "http://[64:ff9b:1::1]/"
            })
    void refusesInternalAndSpecialPurposeAddresses(String url) {
        assertNotNull(guard.problem(url), url);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://8.8.8.8/",
                "https://1.1.1.1:8443/x",
                "https://[2606:4700:4700::1111]/",
                "https://[64:ff9b::808:808]/",
                "https://[2002:808:808::]/"
            })
    void acceptsPublicAddresses(String url) {
        assertNull(guard.problem(url), url);
    }

    @org.junit.jupiter.api.Test
    void refusesEveryAddressOfThisMachine() throws Exception {
        for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                String host = address.getHostAddress().replaceAll("%.*$", "");
                String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":8080/";
                assertNotNull(guard.problem(url), url);
            }
        }
    }
}
