package io.herald.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The start-up warning an operator gets when PostgreSQL would never vacuum the deliveries table. Not tagged external:
 * this machine's own PostgreSQL runs with autovacuum off, which the check rightly reports, while the embedded one
 * (which this test runs against) vacuums by default.
 */
@QuarkusTest
class VacuumCheckTest {
    @Inject
    VacuumCheck check;

    @Inject
    Database db;

    @Test
    void namesATableWhoseAutovacuumIsDisabledAndNothingOnceItIsBack() {
        assertEquals(List.of(), check.findings(), "the embedded PostgreSQL vacuums every table");
        db.update("alter table deliveries set (autovacuum_enabled = false)");
        try {
            List<String> findings = check.findings();
            assertEquals(1, findings.size(), findings.toString());
            assertTrue(findings.get(0).contains("table deliveries"), findings.get(0));
            assertTrue(findings.get(0).contains("ALTER TABLE deliveries RESET (autovacuum_enabled)"), findings.get(0));
        } finally {
            db.update("alter table deliveries reset (autovacuum_enabled)");
        }
        assertEquals(List.of(), check.findings());
    }
}
