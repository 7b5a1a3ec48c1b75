package io.herald.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.platform.embedded.DataDirectory;
import io.herald.platform.embedded.StartupFailure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up refusals an operator reads: one line saying what is wrong and what to do. */
class HeraldMainTest {

    @Test
    void takenPortIsReportedWithTheVariableToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            StartupFailure failure = assertThrows(
                    StartupFailure.class,
                    () -> HeraldMain.requireFreePort(
                            taken.getLocalPort(), "embedded AMQP broker", "HERALD_BROKER_EMBEDDED_PORT"));
            assertEquals(
                    "Port " + taken.getLocalPort() + " for the embedded AMQP broker is already in use. "
                            + "Stop what uses it or set HERALD_BROKER_EMBEDDED_PORT to a free port.",
                    failure.getMessage());
        }
    }

    @Test
    void unusableDataDirectoryIsReportedWithTheVariableToChange(@TempDir Path temp) throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
        StartupFailure failure = assertThrows(StartupFailure.class, () -> DataDirectory.open(file.toString()));
        assertTrue(failure.getMessage().startsWith("Data directory " + file + " is not usable"), failure.getMessage());
        assertTrue(failure.getMessage().contains("HERALD_DATA_DIR"), failure.getMessage());
        assertFalse(failure.getMessage().contains("\n"));
    }

    @Test
    void environmentNamesFollowMicroProfileConfig() {
        assertEquals("HERALD_DATA_DIR", BootSettings.environmentName("herald.data-dir"));
        assertEquals("HERALD_BROKER_EMBEDDED_PORT", BootSettings.environmentName("herald.broker.embedded.port"));
    }
}
