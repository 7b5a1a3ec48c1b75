package io.herald.broker.embedded;

import io.herald.platform.embedded.StartupFailure;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.jboss.logging.Logger;

/**
 * An ActiveMQ Artemis in this process: persistent (journal under the given directory), one AMQP 1.0 acceptor.
 * Security is off, so bind it to loopback unless exposing it is deliberate.
 */
public final class EmbeddedArtemis {
    private static final Logger LOG = Logger.getLogger(EmbeddedArtemis.class);
    private static final String ACCEPTOR = "amqp";
    /** Where messages go that a queue without its own settings dead-letters or expires. */
    static final String FALLBACK_DEAD_LETTERS = "herald.dead-letters";

    static final String FALLBACK_EXPIRED = "herald.expired";
    /**
     * A paging queue's page file size, and how much of its backlog it reads back ahead of consumers. Artemis keeps the
     * page it writes, and each page it reads back from, whole on the heap, and by default reads back up to 20 MiB per
     * queue whether or not anyone consumes. So six queue subscriptions nobody read (30,000 events of 1 KB each) ran a
     * 192 MiB heap out of memory. Bounding the read-back alone still left 34,000 messages of their 10 MiB pages on the
     * heap (137 MiB in use after a full GC); with 1 MiB pages, 50 such queues still did (49,000 messages of pages).
     * With 256 KiB pages, 50 queues of 8,000 events left 79 MiB in use, and neither ingest's CPU per event nor
     * fan-out changed measurably. The cost is in raw sends to a paging queue (a page file every 256 KiB): 16,450/s
     * against 25,907/s with 10 MiB pages, well above the 5,000/s or so the relay moves.
     */
    static final int PAGE_BYTES = 256 * 1024;
    /**
     * How much a paging queue's messages (read back and not yet sent to a consumer, plus those sent and not yet
     * acknowledged) may take. Artemis's default is twice the page size; this keeps the 20 MiB it had with 10 MiB pages,
     * so a consumer's window of unacknowledged messages is as large as before. What is read back ahead of consumers is
     * bounded by {@link #PAGE_BYTES} instead.
     */
    static final int MAX_READ_PAGE_BYTES = 20 * 1024 * 1024;

    private final EmbeddedActiveMQ server;

    private EmbeddedArtemis(EmbeddedActiveMQ server) {
        this.server = server;
    }

    /**
     * @param memoryPercent share of the maximum heap for queued messages before the broker pages them to disk
     * @param queueMemory   bytes of one queue's messages kept on the heap before that queue pages
     */
    public static EmbeddedArtemis start(Path directory, String host, int port, int memoryPercent, long queueMemory) {
        if (memoryPercent < 1 || memoryPercent > 90) {
            throw new StartupFailure(
                    "HERALD_BROKER_EMBEDDED_MEMORY_PERCENT must be between 1 and 90, not " + memoryPercent
                            + ": it is the share of the heap in which the embedded broker keeps queued messages.");
        }
        if (queueMemory < 64 * 1024) {
            throw new StartupFailure("HERALD_BROKER_EMBEDDED_QUEUE_MEMORY must be at least 64K, not " + queueMemory
                    + " bytes: it is how much of one queue's messages the embedded broker keeps on the heap.");
        }
        String acceptorUrl =
                "tcp://" + host + ":" + port + "?protocols=AMQP;useEpoll=true;amqpCredits=1000;amqpLowCredits=300";
        EmbeddedActiveMQ starting = new EmbeddedActiveMQ()
                .setConfiguration(configuration(directory, acceptorUrl, memoryPercent, queueMemory));
        try {
            starting.start();
        } catch (Exception e) {
            stopQuietly(starting);
            throw new StartupFailure(
                    "Embedded Artemis did not start in " + directory + " (" + e.getMessage()
                            + "). Check the data directory, or set HERALD_BROKER_HOST to use an external broker.",
                    e);
        }
        // Artemis logs AMQ224104 and carries on when an acceptor cannot bind; a client could then reach another
        // broker on that port. Refuse to run instead.
        Acceptor acceptor = starting.getActiveMQServer().getRemotingService().getAcceptor(ACCEPTOR);
        if (acceptor == null || !acceptor.isStarted()) {
            stopQuietly(starting);
            throw new StartupFailure("Port " + port + " for the embedded AMQP broker is already in use. "
                    + "Stop what uses it or set HERALD_BROKER_EMBEDDED_PORT to a free port.");
        }
        LOG.debugf("Embedded Artemis started: %s, journal in %s", acceptorUrl, directory);
        return new EmbeddedArtemis(starting);
    }

    /** Bytes of queued messages the broker keeps on the heap before it pages further ones to disk. */
    public long memoryForQueuedMessages() {
        return server.getActiveMQServer().getPagingManager().getMaxSize();
    }

    /** For tests: the broker itself. */
    ActiveMQServer server() {
        return server.getActiveMQServer();
    }

    /** Whether the address's further messages go to disk instead of the heap. */
    public boolean isPaging(String address) throws Exception {
        var store = server.getActiveMQServer().getPagingManager().getPageStore(SimpleString.of(address));
        return store != null && store.isPaging();
    }

    public boolean isRunning() {
        return server.getActiveMQServer().isStarted();
    }

    public void stop() {
        stopQuietly(server);
    }

    private static Configuration configuration(
            Path directory, String acceptorUrl, int memoryPercent, long queueMemory) {
        try {
            return new ConfigurationImpl()
                    .setName("herald-embedded")
                    .setPersistenceEnabled(true)
                    .setSecurityEnabled(false)
                    .setJMXManagementEnabled(false)
                    .setJournalType(JournalType.NIO)
                    .setJournalDirectory(directory.resolve("journal").toString())
                    .setBindingsDirectory(directory.resolve("bindings").toString())
                    .setPagingDirectory(directory.resolve("paging").toString())
                    .setLargeMessagesDirectory(
                            directory.resolve("large-messages").toString())
                    .setNodeManagerLockDirectory(directory.toString())
                    .setGlobalMaxSizePercentOfJvmMaxMemory(memoryPercent)
                    .addAcceptorConfiguration(ACCEPTOR, acceptorUrl)
                    // Auto-created destinations must be ANYCAST queues: MULTICAST drops messages sent while no
                    // consumer is attached. Each address pages on its own once it holds queueMemory, so a backlog
                    // never moves the other queues to disk (as reaching the global limit would). A paging queue then
                    // holds about a page on the heap, whether or not anyone reads it.
                    .addAddressSetting(
                            "#",
                            new AddressSettings()
                                    .setMaxSizeBytes(queueMemory)
                                    .setPageSizeBytes(PAGE_BYTES)
                                    .setPrefetchPageBytes(PAGE_BYTES)
                                    .setMaxReadPageBytes(MAX_READ_PAGE_BYTES)
                                    .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                                    .setDefaultQueueRoutingType(RoutingType.ANYCAST)
                                    .setDeadLetterAddress(SimpleString.of(FALLBACK_DEAD_LETTERS))
                                    .setExpiryAddress(SimpleString.of(FALLBACK_EXPIRED)))
                    .addQueueConfiguration(
                            QueueConfiguration.of(FALLBACK_DEAD_LETTERS).setRoutingType(RoutingType.ANYCAST))
                    .addQueueConfiguration(
                            QueueConfiguration.of(FALLBACK_EXPIRED).setRoutingType(RoutingType.ANYCAST));
        } catch (Exception e) {
            throw new StartupFailure("Embedded Artemis configuration is invalid: " + e.getMessage(), e);
        }
    }

    private static void stopQuietly(EmbeddedActiveMQ broker) {
        try {
            broker.stop();
        } catch (Exception e) {
            LOG.warnf("Embedded Artemis did not stop cleanly: %s", e.getMessage());
        }
    }
}
