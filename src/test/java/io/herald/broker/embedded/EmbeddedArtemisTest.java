package io.herald.broker.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.platform.embedded.StartupFailure;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.impl.QueueImpl;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How much of the shared heap the embedded broker may fill with queued messages, and what happens beyond it. */
class EmbeddedArtemisTest {
    private static final long EIGHT_MIB = 8 * 1024 * 1024;

    @Test
    void keepsTheConfiguredShareOfTheHeapForQueuedMessages(@TempDir Path data) throws Exception {
        EmbeddedArtemis broker = EmbeddedArtemis.start(data, "127.0.0.1", freePort(), 10, EIGHT_MIB);
        try {
            double tenthOfHeap = Runtime.getRuntime().maxMemory() / 10.0;
            assertEquals(
                    tenthOfHeap,
                    broker.memoryForQueuedMessages(),
                    tenthOfHeap / 1000,
                    "a tenth of the heap, up to rounding");
        } finally {
            broker.stop();
        }
    }

    @Test
    void aQueueNobodyReadsPagesAloneAndTheOthersStayInMemory(@TempDir Path data) throws Exception {
        int port = freePort();
        EmbeddedArtemis broker = EmbeddedArtemis.start(data, "127.0.0.1", port, 10, 64 * 1024);
        try {
            try (Connection connection = new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer idle = session.createProducer(session.createQueue("herald.sub.idle"));
                MessageProducer busy = session.createProducer(session.createQueue("herald.sub.busy"));
                idle.setDeliveryMode(DeliveryMode.PERSISTENT);
                busy.setDeliveryMode(DeliveryMode.PERSISTENT);
                String kilobyte = "x".repeat(1024);
                for (int i = 0; i < 200; i++) { // 200 KiB: over its 64 KiB
                    idle.send(session.createTextMessage(kilobyte));
                }
                for (int i = 0; i < 10; i++) { // 10 KiB: under it
                    busy.send(session.createTextMessage(kilobyte));
                }
            }
            assertTrue(broker.isPaging("herald.sub.idle"), "the queue over its limit pages");
            assertFalse(broker.isPaging("herald.sub.busy"), "the queue under its limit keeps its messages in memory");
        } finally {
            broker.stop();
        }
    }

    @Test
    void subscriptionQueuesPageIn256KiBPagesAndReadBackOnePageAhead(@TempDir Path data) throws Exception {
        EmbeddedArtemis broker = EmbeddedArtemis.start(data, "127.0.0.1", freePort(), 10, EIGHT_MIB);
        try {
            var settings = broker.server().getAddressSettingsRepository().getMatch("herald.sub.any");
            assertEquals(256 * 1024, settings.getPageSizeBytes(), "pages of 256 KiB, not Artemis's 10 MiB");
            assertEquals(256 * 1024, settings.getPrefetchPageBytes(), "read back ahead of consumers: one page");
            assertEquals(
                    20 * 1024 * 1024,
                    settings.getMaxReadPageBytes(),
                    "read back and unacknowledged: Artemis's former 20 MiB");
        } finally {
            broker.stop();
        }
    }

    @Test
    void aQueueNobodyReadsReadsBackOnePageOfItsBacklogAndAConsumerThenDrainsItWholeAndInOrder(@TempDir Path data)
            throws Exception {
        int port = freePort();
        EmbeddedArtemis broker = EmbeddedArtemis.start(data, "127.0.0.1", port, 10, 64 * 1024);
        int backlog = 4000; // about 4 MiB on disk: sixteen pages
        try (Connection connection = new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection()) {
            Session sending = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = sending.createProducer(sending.createQueue("herald.sub.backlog"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            String kilobyte = "x".repeat(1024);
            for (int i = 0; i < backlog; i++) {
                producer.send(sending.createTextMessage(i + kilobyte));
                if (i % 500 == 499) {
                    sending.commit();
                }
            }
            sending.commit();
            assertTrue(broker.isPaging("herald.sub.backlog"), "the backlog went to disk");

            int onHeap = readBackAheadOfConsumers(broker, "herald.sub.backlog");
            assertTrue(
                    onHeap > 0 && onHeap < backlog / 2,
                    "read back ahead of any consumer: about a page, not the backlog; was " + onHeap);

            Session receiving = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            MessageConsumer consumer = receiving.createConsumer(receiving.createQueue("herald.sub.backlog"));
            for (int i = 0; i < backlog; i++) {
                TextMessage message = (TextMessage) consumer.receive(10_000);
                assertNotNull(message, "message " + i + " of " + backlog + " arrived");
                assertEquals(i + kilobyte, message.getText());
            }
            assertNull(consumer.receiveNoWait(), "nothing more");
        } finally {
            broker.stop();
        }
    }

    @Test
    void memoryShareOutsideItsRangeIsRefused(@TempDir Path data) {
        StartupFailure failure =
                assertThrows(StartupFailure.class, () -> EmbeddedArtemis.start(data, "127.0.0.1", 0, 95, EIGHT_MIB));
        assertEquals(
                "HERALD_BROKER_EMBEDDED_MEMORY_PERCENT must be between 1 and 90, not 95: it is the share of the heap "
                        + "in which the embedded broker keeps queued messages.",
                failure.getMessage());
        assertFalse(Files.exists(data.resolve("journal")), "nothing is started or written");
    }

    @Test
    void queueMemoryBelowItsFloorIsRefused(@TempDir Path data) {
        StartupFailure failure =
                assertThrows(StartupFailure.class, () -> EmbeddedArtemis.start(data, "127.0.0.1", 0, 20, 1000));
        assertEquals(
                "HERALD_BROKER_EMBEDDED_QUEUE_MEMORY must be at least 64K, not 1000 bytes: it is how much of one "
                        + "queue's messages the embedded broker keeps on the heap.",
                failure.getMessage());
    }

    /** Asks the queue to read back from its pages, as a consumer's arrival does, and counts its messages on the heap once it has. */
    private static int readBackAheadOfConsumers(EmbeddedArtemis broker, String queueName) throws InterruptedException {
        QueueImpl queue = (QueueImpl) broker.server().locateQueue(SimpleString.of(queueName));
        queue.forceDelivery();
        int last = -1;
        for (int unchanged = 0; unchanged < 5; ) {
            Thread.sleep(100);
            queue.flushExecutor();
            int now = queue.getNumberOfReferences();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }
        return last;
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }
}
