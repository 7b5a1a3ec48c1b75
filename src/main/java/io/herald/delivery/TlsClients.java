package io.herald.delivery;

import io.herald.platform.Hashing;
import io.herald.routing.WebhookCredentials;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP clients for endpoints with their own TLS settings (a client certificate for mutual TLS, their own CA): one per
 * distinct set, since Vert.x fixes key and trust material per client, kept alive like the shared client's connections.
 */
@Singleton
class TlsClients {
    private final Vertx vertx;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    TlsClients(Vertx vertx) {
        this.vertx = vertx;
    }

    void stop(@Observes ShutdownEvent event) {
        clients.values().forEach(HttpClient::close);
    }

    HttpClient client(WebhookCredentials.Resolved tls) {
        String key = Hashing.sha256Hex(
                String.valueOf(tls.clientCertificate()) + "\n" + tls.clientKey() + "\n" + tls.caCertificates());
        return clients.computeIfAbsent(key, k -> {
            HttpClientOptions options = WebhookClient.clientOptions();
            if (tls.clientCertificate() != null) {
                options.setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(tls.clientCertificate()))
                        .setKeyValue(Buffer.buffer(tls.clientKey())));
            }
            if (tls.caCertificates() != null) {
                options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(tls.caCertificates())));
            }
            return vertx.createHttpClient(
                    options, new PoolOptions().setHttp1MaxSize(50).setMaxWaitQueueSize(-1));
        });
    }
}
