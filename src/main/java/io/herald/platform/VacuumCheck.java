package io.herald.platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Warns at start when PostgreSQL will not vacuum the tables Herald updates on every event. Each delivery is updated
 * twice after it is inserted (queued, then its outcome), and each update leaves a dead row version behind; the first
 * also writes new index entries (V12 keeps the second on its page). Page pruning reclaims some dead versions, but only
 * vacuum reclaims index entries and refreshes the planner's statistics. Without autovacuum, deliveries fall further
 * and further behind (figures in ADR 0014).
 */
@Singleton
public class VacuumCheck {
    private static final Logger LOG = Logger.getLogger(VacuumCheck.class);
    /** Updated or deleted row by row as events flow (the event store itself is append-only). */
    static final List<String> CHURNING_TABLES = List.of("deliveries", "event_keys");

    private final Database db;

    VacuumCheck(Database db) {
        this.db = db;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            findings().forEach(LOG::warn);
        } catch (RuntimeException e) {
            // Advice only: a database that cannot answer these catalog reads must not stop Herald from starting.
            LOG.debugf("Could not check PostgreSQL's autovacuum settings: %s", e.getMessage());
        }
    }

    /** What keeps autovacuum from Herald's churning tables, one sentence each; empty when nothing does. */
    public List<String> findings() {
        List<String> findings = new ArrayList<>();
        Boolean on = db.one(
                "select current_setting('autovacuum')::boolean and current_setting('track_counts')::boolean",
                row -> row.getBoolean(1));
        if (!Boolean.TRUE.equals(on)) {
            findings.add(
                    "PostgreSQL's autovacuum is off (settings autovacuum or track_counts), so the dead row versions"
                            + " each delivery leaves are never reclaimed: " + String.join(" and ", CHURNING_TABLES)
                            + " grow with every event and delivery slows down. Turn autovacuum on, or run VACUUM ANALYZE on them"
                            + " at least every few minutes under load.");
        }
        for (String table : CHURNING_TABLES) {
            boolean disabled = db.count(
                            "select count(*) from pg_class c, unnest(c.reloptions) option where c.oid = to_regclass(?)"
                                    + " and option ~* '^autovacuum_enabled=(f|false|off|no|0)$'",
                            table)
                    > 0;
            if (disabled) {
                findings.add(
                        "Autovacuum is disabled on table " + table + " (autovacuum_enabled = false), so the dead row"
                                + " versions each delivery leaves there are never reclaimed and delivery slows down. Run: ALTER TABLE "
                                + table + " RESET (autovacuum_enabled)");
            }
        }
        return findings;
    }
}
